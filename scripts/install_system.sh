#!/usr/bin/env bash
# Installs the Debian packages the server needs, only those that are missing.
# With DATABASE_URL set, the PostgreSQL server packages are left out: that database is used instead.
# With --browser (make test), also Debian's Chromium for the browser tests, unless /usr/bin/chromium is there, and
# Node.js with npm (unless npm is there), which installs the browser tests' accessibility checker (make browser).
set -euo pipefail

# gettext compiles the pages' translations; libjs-leaflet.markercluster clusters markers on the maps;
# postgresql-client-15 gives pg_dump and pg_restore for make backup and make restore.
# libvips42: cuts heritage images into IIIF tile pyramids (pyvips).
# nginx: the cache in front of tiles, OGC API pages and downloads (deploy/nginx/), checked by the tests.
# gcc, libldap2-dev, libsasl2-dev: python-ldap (staff sign-in with the city's directory) builds against them; slapd and
# ldap-utils: the directory tests start their own unprivileged slapd (tests/support/ldap_server.py), never the system's.
packages=(gdal-bin binutils libproj25 libgeos-c1v5 python3-venv gettext libjs-leaflet.markercluster postgresql-client-15
          gcc libldap2-dev libsasl2-dev slapd ldap-utils nginx libvips42)
if [ -z "${DATABASE_URL:-}" ]; then
  packages+=(postgresql-15 postgresql-15-postgis-3 postgresql-contrib)
fi
# npm fetches the browser libraries this server serves (core/static/core/vendor/npm.txt; make vendor),
# unless a Node.js with its own npm is already there.
if ! command -v npm >/dev/null 2>&1; then
  packages+=(nodejs npm)
fi
if [ "${1:-}" = "--browser" ] && [ ! -x /usr/bin/chromium ]; then
  packages+=(chromium)
fi
if [ "${1:-}" = "--browser" ] && ! command -v npm >/dev/null; then
  packages+=(nodejs npm)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
# A Python other than Debian's (pyenv, for instance) brings its own venv module.
if [ "${#missing[@]}" -gt 0 ] && "${PYTHON:-python3}" -c 'import venv, ensurepip' 2>/dev/null; then
  filtered=()
  for p in "${missing[@]}"; do [ "$p" = python3-venv ] || filtered+=("$p"); done
  missing=("${filtered[@]+"${filtered[@]}"}")
fi

if [ "${#missing[@]}" -eq 0 ]; then
  echo "system packages: all present"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "system packages missing: ${missing[*]}" >&2
  echo "run 'make run' as root once, or install them: apt-get install ${missing[*]}" >&2
  exit 1
fi
echo "system packages: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# slapd is installed for the tests only: no system-wide directory is configured or started.
echo "slapd slapd/no_configuration boolean true" | debconf-set-selections
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "system packages: installed"
