"""notifications' HTML pages: inbox (the in-app inbox and marking read), channels (a person's
preferences and HR's team-chat bots) and reminders (HR's reminder rules). Routes in
notifications/urls.py."""
