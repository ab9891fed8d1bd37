"""The layers' tests download as a patient client does (tests/support/patient_client.py)."""
import pytest

from tests.support.patient_client import PatientClient


@pytest.fixture
def client():
    return PatientClient()
