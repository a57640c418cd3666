#!/bin/sh
# Restore a backup made by ops/backup.sh into an EMPTY database, and its files.
#
#   createdb --host=… --username=… helsepedagogikk_restored
#   DATABASE_URL=postgres://user:password@host:5432/helsepedagogikk_restored \
#   MEDIA_ROOT=/srv/helsepedagogikk/media PRIVATE_MEDIA_ROOT=/srv/helsepedagogikk/private \
#   ops/restore.sh /backup/2026-12-01
#
# Then point the platform's DATABASE_URL at the restored database, run `manage.py migrate` (a
# backup from an older release gets the newer migrations) and `manage.py check --deploy`.
# Refuses a database that already has tables, so a backup is never mixed into live data.
set -eu

source=${1:?"Mappe med sikkerhetskopien mangler: ops/restore.sh /sti/til/mappe"}
: "${DATABASE_URL:?DATABASE_URL må være satt (postgres://…), til en tom database}"

if [ ! -f "$source/database.dump" ]; then
    echo "Fant ikke $source/database.dump." >&2
    exit 1
fi
if [ -f "$source/manifest.txt" ]; then
    # Every file is as it was written (sha256sum lines of the manifest).
    (cd "$source" && grep -E '^[0-9a-f]{64}  ' manifest.txt | sha256sum --check --quiet)
fi

tables=$(psql "$DATABASE_URL" --no-psqlrc --tuples-only --no-align \
    --command="select count(*) from pg_tables where schemaname = 'public'")
if [ "$tables" != "0" ]; then
    echo "Databasen har allerede $tables tabeller; gjenopprett bare til en tom database." >&2
    exit 1
fi

pg_restore --no-owner --no-privileges --exit-on-error --single-transaction \
    --dbname="$DATABASE_URL" "$source/database.dump"
# The planner's statistics are not in the dump.
psql "$DATABASE_URL" --no-psqlrc --quiet --command="analyze"

restore_folder() {  # archive name, folder
    if [ -f "$source/$1.tar" ]; then
        : "${2:?$1.tar finnes, men mappen å pakke den ut i er ikke satt}"
        mkdir -p "$2"
        tar --extract --file="$source/$1.tar" --directory="$2"
    fi
}
restore_folder media "${MEDIA_ROOT:-}"
restore_folder private-media "${PRIVATE_MEDIA_ROOT:-}"
echo "Gjenopprettet fra $source"
