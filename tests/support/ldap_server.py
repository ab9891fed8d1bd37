"""A small directory for the sign-in tests: Debian's slapd (scripts/install_system.sh installs it) started as an
unprivileged process with a configuration and database of its own in a temporary folder, on a free port of
127.0.0.1. The system's slapd configuration is never read or touched.

    with directory() as server:   # server.uri == "ldap://127.0.0.1:<port>"
        ...
"""
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

SLAPD = "/usr/sbin/slapd"
SLAPADD = "/usr/sbin/slapadd"
SCHEMAS = Path("/etc/ldap/schema")
MODULES = Path("/usr/lib/ldap")
SUFFIX = "dc=thessaloniki,dc=test"
PEOPLE = f"ou=people,{SUFFIX}"
GROUPS = f"ou=groups,{SUFFIX}"
PASSWORD = "directory-pw-1"

# Directory groups and their members (uids).
GROUP_MEMBERS = {
    "roads-staff": ["maria"],
    "roads-managers": ["nikos"],
    "lighting-staff": ["maria"],
    "planners": ["nikos"],
    "disabled-accounts": ["olga"],
}
PEOPLE_NAMES = {"maria": ("Maria", "Papadopoulou"), "nikos": ("Nikos", "Georgiou"), "olga": ("Olga", "Dimou")}


def group_dn(name: str) -> str:
    return f"cn={name},{GROUPS}"


def _config(folder: Path) -> str:
    return f"""
include {SCHEMAS}/core.schema
include {SCHEMAS}/cosine.schema
include {SCHEMAS}/inetorgperson.schema
modulepath {MODULES}
moduleload back_mdb
pidfile {folder}/slapd.pid
argsfile {folder}/slapd.args
database mdb
maxsize 10485760
suffix "{SUFFIX}"
rootdn "cn=admin,{SUFFIX}"
rootpw admin-pw
directory {folder}/data
access to attrs=userPassword by anonymous auth by self write by * none
access to * by * read
"""


def _ldif() -> str:
    entries = [
        f"dn: {SUFFIX}\nobjectClass: dcObject\nobjectClass: organization\ndc: thessaloniki\no: Municipality of Thessaloniki\n",
        f"dn: {PEOPLE}\nobjectClass: organizationalUnit\nou: people\n",
        f"dn: {GROUPS}\nobjectClass: organizationalUnit\nou: groups\n",
    ]
    for uid, (given, family) in PEOPLE_NAMES.items():
        entries.append(
            f"dn: uid={uid},{PEOPLE}\nobjectClass: inetOrgPerson\nuid: {uid}\ncn: {given} {family}\ngivenName: {given}\n"
            f"sn: {family}\nmail: {uid}@thessaloniki.invalid\nuserPassword: {PASSWORD}\n")
    for name, members in GROUP_MEMBERS.items():
        lines = "".join(f"member: uid={uid},{PEOPLE}\n" for uid in members)
        entries.append(f"dn: {group_dn(name)}\nobjectClass: groupOfNames\ncn: {name}\n{lines}")
    return "\n".join(entries)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Directory:
    uri: str
    folder: Path
    process: subprocess.Popen


@contextmanager
def directory():
    """Start the directory; stop it and remove its folder afterwards."""
    if not Path(SLAPD).exists():
        raise RuntimeError(f"{SLAPD} is missing: run `make test` (scripts/install_system.sh installs slapd)")
    folder = Path(tempfile.mkdtemp(prefix="gis-ldap-"))
    (folder / "data").mkdir()
    (folder / "slapd.conf").write_text(_config(folder))
    (folder / "directory.ldif").write_text(_ldif())
    subprocess.run([SLAPADD, "-q", "-f", str(folder / "slapd.conf"), "-l", str(folder / "directory.ldif")],
                   check=True, capture_output=True, timeout=60)
    drop = []
    if os.geteuid() == 0:  # never run the directory as root: it runs as Debian's unprivileged openldap account
        account = pwd.getpwnam("openldap")
        for path in [folder, *folder.rglob("*")]:
            os.chown(path, account.pw_uid, account.pw_gid)
        drop = ["-u", "openldap", "-g", "openldap"]
    port = _free_port()
    uri = f"ldap://127.0.0.1:{port}"
    log = (folder / "slapd.log").open("wb")
    process = subprocess.Popen([SLAPD, "-d", "0", *drop, "-f", str(folder / "slapd.conf"), "-h", uri + "/"],
                               stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 20
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"slapd stopped at start: {(folder / 'slapd.log').read_text(errors='replace')[-2000:]}")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("slapd did not answer within 20 s")
                time.sleep(0.1)
        yield Directory(uri=uri, folder=folder, process=process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
        shutil.rmtree(folder, ignore_errors=True)
