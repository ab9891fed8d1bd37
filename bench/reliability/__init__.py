"""Load and fault checks of the whole stack (make loadtest, make faulttest); never run as tests."""
