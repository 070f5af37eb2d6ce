app_name = "loans"
urlpatterns: list = []
