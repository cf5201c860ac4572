from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from assignments import views as assignments_views
from povertyplan import pwa

urlpatterns = [
    path("", assignments_views.home, name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("manifest.webmanifest", pwa.manifest, name="manifest"),
    path("sw.js", pwa.service_worker, name="service_worker"),
    path("households/", include("households.urls")),
    path("", include("assignments.urls")),
    path("api/", include("api.urls")),
    path("reports/", include("reports.urls")),
    path("admin/", admin.site.urls),
]
