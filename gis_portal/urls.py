"""URL wiring: health check, admin, API schema and docs, and each app's API."""
from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from issues.open311.views import not_found as open311_not_found

from throttling.forms import LockoutAdminAuthenticationForm

from .health import healthz
from .home import home

admin.site.login_form = LockoutAdminAuthenticationForm

urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema", template_name="gis_portal/swagger_ui.html"),
         name="api-docs"),
    path("api/", include("layers.api.urls")),
    path("api/", include("issues.api.urls")),
    path("api/", include("hazards.api.urls")),
    path("open311/v2/", include("issues.open311.urls")),
    path("ogc/", include("layers.ogc.urls")),
    path("open311/", include([path("", open311_not_found), path("<path:rest>", open311_not_found)])),
]
# Uploaded photos, when DEBUG is on (make run); in production the web server in front serves /media/.
urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler404 = "gis_portal.errors.not_found"
handler500 = "gis_portal.errors.server_error"
