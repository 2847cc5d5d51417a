-- dicometl catalog, schema version 1 (SQLite). Secondary indexes: catalog_indexes.sql. Keys are the DICOM UIDs themselves: stable across
-- runs and machines, and no look-up is needed to link an instance to its series.
CREATE TABLE IF NOT EXISTS catalog_schema (version INTEGER NOT NULL);

CREATE TABLE IF NOT EXISTS ingest_run (
  run_id        INTEGER PRIMARY KEY,
  started_at    TEXT NOT NULL,
  finished_at   TEXT,
  status        TEXT NOT NULL,          -- running | done | failed (a killed run stays 'running')
  tool_version  TEXT NOT NULL,
  files_seen    INTEGER, ingested INTEGER, unchanged INTEGER, duplicates INTEGER,
  not_dicom     INTEGER, failed INTEGER, seconds REAL,
  -- added after version 1 (schema.cpp adds them to older catalogs)
  still_rejected INTEGER, missing INTEGER, conflicts INTEGER
);

CREATE TABLE IF NOT EXISTS patient (
  patient_id            TEXT PRIMARY KEY,  -- PatientID; '' when the files carry none
  issuer_of_patient_id  TEXT,
  patient_name          TEXT,              -- UTF-8, components as in DICOM (Alphabetic=Ideographic=Phonetic)
  patient_sex           TEXT,
  patient_birth_date    TEXT,              -- YYYYMMDD as stored
  source_path           TEXT               -- the file these values came from (first seen)
);

CREATE TABLE IF NOT EXISTS study (
  study_instance_uid        TEXT PRIMARY KEY,
  patient_id                TEXT NOT NULL REFERENCES patient (patient_id),
  study_date                TEXT,
  study_time                TEXT,
  study_id                  TEXT,
  accession_number          TEXT,
  study_description         TEXT,
  referring_physician_name  TEXT,
  timezone_offset           TEXT,
  patient_age               TEXT,
  source_path               TEXT           -- the file these values came from (first seen)
);

CREATE TABLE IF NOT EXISTS series (
  series_instance_uid      TEXT PRIMARY KEY,
  study_instance_uid       TEXT NOT NULL REFERENCES study (study_instance_uid),
  series_number            INTEGER,
  series_date              TEXT,
  series_time              TEXT,
  modality                 TEXT,
  body_part_examined       TEXT,
  series_description       TEXT,
  protocol_name            TEXT,
  laterality               TEXT,
  institution_name         TEXT,
  station_name             TEXT,
  manufacturer             TEXT,
  manufacturer_model_name  TEXT,
  device_serial_number     TEXT,
  software_versions        TEXT
);

CREATE TABLE IF NOT EXISTS instance (
  sop_instance_uid            TEXT PRIMARY KEY,
  series_instance_uid         TEXT NOT NULL REFERENCES series (series_instance_uid),
  sop_class_uid               TEXT,
  transfer_syntax_uid         TEXT,
  instance_number             INTEGER,
  file_path                   TEXT NOT NULL,   -- where it was first found (other copies: file table)
  file_size                   INTEGER NOT NULL,
  file_mtime_ns               INTEGER NOT NULL,
  rows                        INTEGER,
  columns                     INTEGER,
  number_of_frames            INTEGER,
  bits_allocated              INTEGER,
  photometric_interpretation  TEXT,
  slice_thickness             REAL,
  pixel_spacing_row           REAL,
  pixel_spacing_col           REAL,
  kvp                         REAL,
  image_type                  TEXT,
  acquisition_date            TEXT,
  acquisition_time            TEXT,
  content_date                TEXT,
  content_time                TEXT,
  specific_character_set      TEXT,
  run_id                      INTEGER NOT NULL,
  dicom_json                  TEXT NOT NULL    -- every element but bulk data, DICOM JSON model (PS3.18 F)
);

-- Every file the walk met, with what became of it; (path, size, mtime) decides "unchanged".
-- Paths are UTF-8 text: bytes of a file name that are not UTF-8 are written \xHH (README).
CREATE TABLE IF NOT EXISTS file (
  path              TEXT PRIMARY KEY,
  dir               TEXT NOT NULL,
  size              INTEGER NOT NULL,
  mtime_ns          INTEGER NOT NULL,
  status            TEXT NOT NULL,   -- ingested | duplicate | rejected | missing
  sop_instance_uid  TEXT,
  run_id            INTEGER NOT NULL,
  missing_since     TEXT             -- status missing: when a run over its root no longer found it
);

-- One row per file that did not become an instance, with a reason a person understands.
-- Instances read although they depart from the standard (e.g. implicit VR under an explicit syntax).
CREATE TABLE IF NOT EXISTS ingest_warning (
  path      TEXT PRIMARY KEY,
  reason    TEXT NOT NULL,
  run_id    INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS ingest_error (
  path      TEXT PRIMARY KEY,
  kind      TEXT NOT NULL,   -- not_dicom | unreadable | corrupt | incomplete | dicomdir
  reason    TEXT NOT NULL,
  size      INTEGER,
  mtime_ns  INTEGER,
  run_id    INTEGER NOT NULL
);

-- Files that contradict what the catalog already holds. The first-seen values stay in the main
-- tables; each other file with different values gets a row here. kind:
--   patient_attributes   same PatientID, another patient_name / patient_sex / patient_birth_date
--   study_patient        same Study Instance UID under another PatientID (a study split over patients)
--   instance_attributes  same SOP Instance UID in another file, with another patient_id /
--                        study_instance_uid / series_instance_uid / sop_class_uid
CREATE TABLE IF NOT EXISTS conflict (
  conflict_id             INTEGER PRIMARY KEY,
  kind                    TEXT NOT NULL,
  key_value               TEXT NOT NULL,   -- PatientID, Study or SOP Instance UID
  attribute               TEXT NOT NULL,   -- the column whose values differ
  first_value             TEXT,            -- as the main table holds it
  first_path              TEXT,            -- the file it came from (NULL: catalogued before this was kept)
  other_value             TEXT,
  other_path              TEXT NOT NULL,   -- the file that differs
  other_sop_instance_uid  TEXT NOT NULL,
  run_id                  INTEGER NOT NULL,
  noticed_at              TEXT NOT NULL,
  UNIQUE (kind, key_value, attribute, other_path)
);
