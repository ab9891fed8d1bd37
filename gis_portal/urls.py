"""URL wiring: health check, admin, API schema and docs, and each app's API."""
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from .health import healthz
from .home import home
from issues.open311.views import not_found as views_open311_not_found

urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/", include("layers.api.urls")),
    path("api/", include("issues.api.urls")),
    path("open311/v2/", include("issues.open311.urls")),
    path("open311/", include([path("", views_open311_not_found), path("<path:rest>", views_open311_not_found)])),
]
