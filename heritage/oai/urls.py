"""The OAI-PMH endpoint's URL."""
from django.urls import path

from core.replica import replica_reads

from .views import oai_pmh

urlpatterns = [path("", replica_reads(oai_pmh), name="oai-pmh")]
