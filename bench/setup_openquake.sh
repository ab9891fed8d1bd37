#!/bin/sh
# The reference for the earthquake scenarios: openquake.hazardlib from PyPI openquake-engine 3.26.2, in its own
# virtualenv bench/.venv-openquake (ignored by git). The engine pins Django < 5 and GDAL bindings 3.13 (built from
# source) for its web UI and I/O, so it never joins the project's .venv, and is installed here without them:
# requirements-openquake.txt lists what hazardlib imports.
set -e
cd "$(dirname "$0")"
python3 -m venv --clear .venv-openquake
.venv-openquake/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-openquake.txt
.venv-openquake/bin/python -m pip install --quiet --disable-pip-version-check --no-deps openquake-engine==3.26.2
.venv-openquake/bin/python -c "from openquake.hazardlib.gsim.akkar_bommer_2010 import AkkarBommer2010"
touch .venv-openquake/.installed
echo "openquake.hazardlib installed in bench/.venv-openquake"
