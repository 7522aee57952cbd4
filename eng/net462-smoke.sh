#!/usr/bin/env bash
# Proves the CrmGuardrails core runs on .NET Framework 4.6.2 (the Dataverse plug-in sandbox's framework):
# builds tests/CrmGuardrails.Net462Smoke (net462, against the core's netstandard2.0 build) and runs it under Mono.
# Installs Mono from Debian when missing (idempotent, quiet). Exits non-zero when the install, build or any verdict fails.
set -euo pipefail
cd "$(dirname "$0")/.."

# The minimal Debian set: the runtime plus the one framework assembly the core needs beyond corlib/System/System.Core
# (System.ComponentModel.DataAnnotations, behind the System.ComponentModel.Annotations facade).
packages=(mono-runtime libmono-system-componentmodel-dataannotations4.0-cil)
if ! command -v mono >/dev/null 2>&1 || [ ! -e /usr/lib/mono/4.5/System.ComponentModel.DataAnnotations.dll ]; then
  echo "net462-smoke: installing ${packages[*]}"
  sudo_cmd=()
  if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
  export DEBIAN_FRONTEND=noninteractive
  log=$(mktemp)
  if ! { "${sudo_cmd[@]}" apt-get update -qq && "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${packages[@]}"; } >"$log" 2>&1; then
    cat "$log"; rm -f "$log"
    echo "net462-smoke: installing Mono failed"; exit 1
  fi
  rm -f "$log"
fi

project=tests/CrmGuardrails.Net462Smoke/CrmGuardrails.Net462Smoke.csproj
dotnet build "$project" -c Release --nologo -v quiet -clp:NoSummary -p:CI="${CI:-false}"
exe=tests/CrmGuardrails.Net462Smoke/bin/Release/net462/CrmGuardrails.Net462Smoke.exe
mono "$exe"
