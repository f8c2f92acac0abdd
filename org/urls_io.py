app_name = "org_io"
urlpatterns = []
