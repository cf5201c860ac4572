app_name = "assignments"
urlpatterns = []
