"""The layers' tests download as a patient client does (tests/patient_client.py)."""
import pytest

from tests.patient_client import PatientClient


@pytest.fixture
def client():
    return PatientClient()
