"""Who may see each URL: the table tests/pmsite/test_permission_matrix.py checks.

Every URL of the URL configuration has one row: its name (``namespace:name``; the route for an
unnamed pattern) and one cell per role, in the order of ROLES. The test GETs the URL as each role
with one record of each kind belonging to ``rep`` (see the ``world`` fixture) and compares:

    A  allow      2xx, or a redirect that is not to the login page
    D  deny       403; 401 from the API; a redirect to the login page
    H  hidden     404 (a record the person may not see answers "not found", so it does not leak)
    P  POST only  405 to a GET (the page is an action; anonymous must still be D)

Roles (tests/conftest.py ``org``): anonymous; employee = rep (the records' owner); peer = rep2
(same team); manager = lead (rep's manager); skip_level = director (lead's manager);
other_manager = peer_lead (manager of the other branch, South China); hr; executive = an executive
outside rep's management chain; admin (superuser without an employee profile).

A new URL needs a row here before the test passes: write down who may see it.
"""

ROLES = ("anonymous", "employee", "peer", "manager", "skip_level", "other_manager", "hr", "executive", "admin")

# URL prefixes not walked, with the reason.
SKIPPED_PREFIXES = (
    "admin/",  # Django admin: its own staff/superuser check and per-model permissions, tested by Django
)

# fmt: off
MATRIX: dict[str, str] = {
    #                                       a e p m s o h x A   (ROLES, in order)
    # --- Sign-in, password and language pages (Django's auth views; logout and the language switch take POST only)
    "home":                                "D A A A A A A A A",
    "health":                              "A A A A A A A A A",
    "login":                               "A A A A A A A A A",
    "password_reset":                      "A A A A A A A A A",
    "logout":                              "P P P P P P P P P",
    "password_change":                     "D A A A A A A A A",
    "password_change_done":                "D A A A A A A A A",
    "password_reset_done":                 "A A A A A A A A A",
    "password_reset_confirm":              "A A A A A A A A A",
    "password_reset_complete":             "A A A A A A A A A",
    "language-switch":                     "P P P P P P P P P",
    # --- Org: people, calendar, grade levels, tokens, lock-outs (HR pages) and the org chart spreadsheet
    "org:people":                          "D D D D D D A A A",
    "org:employee":                        "D A H A A H A A A",
    "org:my-team":                         "D D D A A A D D D",
    "org:units":                           "D D D D D D A A A",
    "org:calendar":                        "D D D D D D A D A",
    "org:calendar-load-official":          "D P P P P P P P P",
    "org:calendar-day-edit":               "D D D D D D A D A",
    "org:calendar-day-delete":             "D P P P P P P P P",
    "org:grade-levels":                    "D D D D D D A D A",
    "org:grade-level-delete":              "D P P P P P P P P",
    "org:api-tokens":                      "D A A A A A A A A",
    "org:api-token-revoke":                "D P P P P P P P P",
    "org:signin-lockouts":                 "D D D D D D A D A",
    "org:signin-unlock":                   "D P P P P P P P P",
    "org_io:import":                       "D D D D D D A D A",
    "org_io:preview":                      "D D D D D D A D A",
    "org_io:job":                          "D A H H H H A H A",
    "org_io:job-confirm":                  "D P P P P P P P P",
    "org_io:export":                       "D D D D D D A D A",
    "org_io:template":                     "D D D D D D A D A",
    # --- Notifications: the inbox is the recipient's own; webhooks and reminder rules are HR's
    "notifications:inbox":                 "D A A A A A A A A",
    "notifications:mark-all-read":         "D P P P P P P P P",
    "notifications:open":                  "D A H H H H H H H",
    "notifications:mark-read":             "D P P P P P P P P",
    "notifications:preferences":           "D A A A A A A A A",
    "notifications:webhooks":              "D D D D D D A D A",
    "notifications:webhook-create":        "D D D D D D A D A",
    "notifications:webhook-edit":          "D D D D D D A D A",
    "notifications:webhook-deactivate":    "D P P P P P P P P",
    "notifications:webhook-test":          "D P P P P P P P P",
    "notifications:reminder-rules":        "D D D D D D A D A",
    "notifications:reminder-rule-edit":    "D D D D D D A D A",
    "notifications:reminder-rule-toggle":  "D P P P P P P P P",
    "notifications:reminder-rule-run":     "D P P P P P P P P",
    # --- Goals pages: rep's objective is seen by rep, the managers above (lead, director), HR, executives and admins
    "goals:objective-create":              "D A A A A A A A A",
    "goals:objective-smart":               "D P P P P P P P P",
    "goals:objective-detail":              "D A H A A H A A A",
    "goals:objective-edit":                "D A H A A H A D A",
    "goals:objective-submit":              "D P P P P P P P P",
    "goals:objective-approve":             "D P P P P P P P P",
    "goals:objective-return":              "D P P P P P P P P",
    "goals:objective-close":               "D P P P P P P P P",
    "goals:objective-cancel":              "D P P P P P P P P",
    "goals:approvals":                     "D A A A A A A A A",
    "goals:my-objectives":                 "D A A A A A A A A",
    "goals:team-objectives":               "D D D A A A D D D",
    "goals:record-progress":               "D A H A A H A D A",
    "goals:key-result-history":            "D A H A A H A A A",
    "goals:key-result-done":               "D P P P P P P P P",
    "goals:milestone-toggle":              "D P P P P P P P P",
    "goals:measurement-correct":           "D A H A A H A D A",
    "goals:measurement-evidence":          "D A H A A H A A A",
    "goals:action-plan-create":            "D A H A A H A D A",
    "goals:action-plan-edit":              "D A H A A H A D A",
    "goals:cascade":                       "D A A A A A A A A",
    "goals:cascade-children":              "D A H A A H A A A",
    "goals:themes":                        "D A A A A A A A A",
    "goals:theme-create":                  "D D D D D D D A A",
    "goals:theme-edit":                    "D D D D D D D A A",
    "goals:kpis":                          "D A A A A A A A A",
    "goals:kpi-create":                    "D D D D D D A D A",
    "goals:kpi-detail":                    "D A A A A A A A A",
    "goals:kpi-edit":                      "D D D D D D A D A",
    "goals:kpi-reference-set":             "D P P P P P P P P",
    "goals:smart-settings":                "D D D D D D A D A",
    "goals:integrations":                  "D D D D D D A D A",
    "goals:integration-revoke":            "D P P P P P P P P",
    "goals:progress-import":               "D A A A A A A A A",
    "goals:progress-template":             "D A A A A A A A A",
    "goals:objectives-export":             "D A A A A A A A A",
    "goals:score-objective":               "D A H A A H A A A",
    "goals:score-person":                  "D A H A A H A A A",
    "goals:score-unit":                    "D A A A A A A A A",
    "goals:score-theme":                   "D A A A A A A A A",
    # --- API: anonymous gets 401; a record of rep's is 404 to a peer and another branch's manager
    "api-token":                           "P P P P P P P P P",
    "api-me":                              "D A A A A A A A A",
    "api-unit-list":                       "D A A A A A A A A",
    "api-unit-tree":                       "D A A A A A A A A",
    "api-unit-detail":                     "D A A A A A A A A",
    "api-employee-list":                   "D A A A A A A A A",
    "api-employee-detail":                 "D A H A A H A A A",
    "api-notification-list":               "D A A A A A A A A",
    "api-notification-read-all":           "D P P P P P P P P",
    "api-notification-read":               "D P P P P P P P P",
    "api-goals-period-list":               "D A A A A A A A A",
    "api-goals-period-detail":             "D A A A A A A A A",
    "api-goals-theme-list":                "D A A A A A A A A",
    "api-goals-theme-detail":              "D A A A A A A A A",
    "api-goals-kpi-list":                  "D A A A A A A A A",
    "api-goals-kpi-detail":                "D A A A A A A A A",
    "api-goals-kpi-reference-list":        "D A A A A A A A A",
    "api-goals-objective-list":            "D A A A A A A A A",
    "api-goals-objective-detail":          "D A H A A H A A A",
    "api-goals-objective-smart":           "D A H A A H A A A",
    "api-goals-objective-submit":          "D P P P P P P P P",
    "api-goals-objective-approve":         "D P P P P P P P P",
    "api-goals-objective-return":          "D P P P P P P P P",
    "api-goals-objective-close":           "D P P P P P P P P",
    "api-goals-objective-cancel":          "D P P P P P P P P",
    "api-goals-key-result-list":           "D A A A A A A A A",
    "api-goals-key-result-detail":         "D A H A A H A A A",
    "api-goals-action-plan-list":          "D A A A A A A A A",
    "api-goals-action-plan-detail":        "D A H A A H A A A",
    "api-goals-measurement-list":          "D A A A A A A A A",
    "api-goals-measurement-push":          "D D D D D D D D D",
    "api-goals-measurement-detail":        "D A H A A H A A A",
    "api-goals-measurement-correct":       "D P P P P P P P P",
    "api-goals-score-objective":           "D A H A A H A A A",
    "api-goals-score-person":              "D A H A A H A A A",
    "api-goals-score-unit":                "D A A A A A A A A",
    "api-goals-score-theme":               "D A A A A A A A A",
    "api-schema":                          "D A A A A A A A A",
    "api-docs":                            "D A A A A A A A A",
    "^api/(.*/)?$":                        "H H H H H H H H H",
}
# fmt: on
