#!/bin/sh
# Back up the platform: the PostgreSQL database (pg_dump, custom format) and the files it keeps.
#
#   DATABASE_URL=postgres://user:password@host:5432/helsepedagogikk \
#   MEDIA_ROOT=/srv/helsepedagogikk/media PRIVATE_MEDIA_ROOT=/srv/helsepedagogikk/private \
#   ops/backup.sh /backup/2026-12-01
#
# Writes into the (new or empty) folder:
#   database.dump      pg_dump --format=custom: restore with ops/restore.sh (pg_restore), any table
#                      on its own with pg_restore --table
#   media.tar          MEDIA_ROOT (public media: images, documents), when it is a folder here
#   private-media.tar  PRIVATE_MEDIA_ROOT (certificate PDFs, H5P content, exports), likewise
#   manifest.txt       when, which pg_dump and server, and a checksum of each file
#
# With object storage (MEDIA_BUCKET / PRIVATE_MEDIA_BUCKET) the files are in the buckets, not in
# folders: copy them with the storage's own tools at the same time (see README, «Drift»), e.g.
#   aws s3 sync s3://$PRIVATE_MEDIA_BUCKET /backup/2026-12-01/private-media-bucket
# pg_dump takes a consistent snapshot without stopping the platform; a file uploaded while the
# backup runs may be in the copy without its row, never the other way round if the files are
# copied after the dump (as here).
#
# pg_dump must be the server's major version or newer (check with `pg_dump --version` and
# `psql "$DATABASE_URL" -c 'select version()'`).
set -eu

destination=${1:?"Mappe for sikkerhetskopien mangler: ops/backup.sh /sti/til/mappe"}
: "${DATABASE_URL:?DATABASE_URL må være satt (postgres://…)}"

mkdir -p "$destination"
if [ -n "$(ls -A "$destination")" ]; then
    echo "Mappen $destination er ikke tom; velg en ny mappe for hver sikkerhetskopi." >&2
    exit 1
fi

pg_dump --format=custom --no-owner --no-privileges --file="$destination/database.dump" "$DATABASE_URL"

archive_folder() {  # folder name
    if [ -n "$1" ] && [ -d "$1" ]; then
        tar --create --file="$destination/$2.tar" --directory="$1" .
    fi
}
archive_folder "${MEDIA_ROOT:-}" media
archive_folder "${PRIVATE_MEDIA_ROOT:-}" private-media

{
    echo "created: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "pg_dump: $(pg_dump --version)"
    echo "server: $(psql "$DATABASE_URL" --no-psqlrc --tuples-only --no-align --command='show server_version')"
    (
        cd "$destination"
        for file in *.dump *.tar; do
            if [ -f "$file" ]; then sha256sum -- "$file"; fi
        done
    )
} > "$destination/manifest.txt"
echo "Sikkerhetskopi skrevet til $destination"
