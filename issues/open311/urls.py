"""URLs of Open311 GeoReport v2; every call answers .json or .xml."""
from django.urls import re_path

from core.replica import replica_reads

from . import views

FMT = r"\.(?P<format>json|xml)$"

urlpatterns = [
    re_path(r"^discovery" + FMT, views.Discovery.as_view(), name="open311-discovery"),
    re_path(r"^services" + FMT, replica_reads(views.ServiceList.as_view()), name="open311-services"),
    re_path(r"^services/(?P<service_code>[^/]+?)" + FMT, replica_reads(views.ServiceDefinition.as_view()), name="open311-service"),
    re_path(r"^tokens/(?P<token>[^/]+?)" + FMT, views.TokenLookup.as_view(), name="open311-token"),
    re_path(r"^requests" + FMT, replica_reads(views.Requests.as_view()), name="open311-requests"),
    re_path(r"^requests/(?P<service_request_id>[^/]+?)" + FMT, replica_reads(views.RequestDetail.as_view()), name="open311-request"),
    re_path(r"^servicerequestupdates" + FMT, replica_reads(views.RequestUpdates.as_view()), name="open311-updates"),
]
