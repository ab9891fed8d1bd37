"""URL wiring: pages, sign-in, language switch, translations, health check, admin, API schema and docs, each app's API."""
import re

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from django.views.i18n import JavaScriptCatalog
from django.views.static import serve
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from core.health import healthz
from issues.directory import DirectoryAuthenticationForm
from layers.basemap import tile as basemap_tile
from issues.open311.views import not_found as open311_not_found

urlpatterns = [
    path("", include("issues.pages.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("accounts/login/", auth_views.LoginView.as_view(template_name="core/login.html",
                                                          authentication_form=DirectoryAuthenticationForm), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("staff/", include("issues.pages.staff_urls")),
    path("planner/heritage/", include("heritage.pages.planner_urls")),
    path("planner/", include("hazards.pages.urls")),
    path("participation/", include("participation.pages.urls")),
    path("heritage/figures/", include("heritage.pages.figures_urls")),
    path("heritage/", include("heritage.pages.urls")),
    path("healthz", healthz, name="healthz"),
    path("basemap/tiles/<int:z>/<int:x>/<int:y>", basemap_tile, name="basemap-tile"),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema", template_name="core/swagger_ui.html"),
         name="api-docs"),
    path("api/", include("layers.api.urls")),
    path("api/", include("issues.api.urls")),
    path("api/", include("hazards.api.urls")),
    path("api/participation/", include("participation.api.urls")),
    path("api/heritage/", include("heritage.api.urls")),
    path("oai", include("heritage.oai.urls")),
    path("iiif/", include("heritage.iiif.urls")),
    path("heritage/", include("heritage.pages.object_urls")),
    path("open311/v2/", include("issues.open311.urls")),
    path("ogc/", include("layers.ogc.urls")),
    re_path(r"^open311/", open311_not_found),  # any other path under /open311/ (v2 included): the spec's 404
]
# Uploaded photos under make run and make dev (SERVE_MEDIA); in production the web server in front serves /media/.
if settings.SERVE_MEDIA:
    urlpatterns += [re_path(r"^%s(?P<path>.*)$" % re.escape(settings.MEDIA_URL.lstrip("/")), serve,
                            {"document_root": settings.MEDIA_ROOT})]

handler404 = "core.errors.not_found"
handler500 = "core.errors.server_error"
