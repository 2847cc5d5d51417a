-- dicometl upload: one row per (instance, destination), as the d2e DICOM plugin records uploads
-- (original_filename, instance_id, uploaded_filename, uploaded_datetime, image_occurrence_id,
-- sop_instance_id), plus where it went, the outcome and the reason. A later run updates the row.
CREATE TABLE IF NOT EXISTS file_upload_metadata (
  file_upload_metadata_id  INTEGER PRIMARY KEY,
  original_filename        TEXT NOT NULL,      -- the file as catalogued
  sop_instance_id          TEXT NOT NULL,      -- SOP Instance UID
  image_occurrence_id      INTEGER,            -- OMOP image_occurrence of its series, when present
  destination              TEXT NOT NULL,      -- DICOMweb base or dicom://AET@host:port
  instance_id              TEXT,               -- the server's id (Orthanc id, else STOW RetrieveURL)
  uploaded_filename        TEXT,               -- its WADO-RS URL (DICOMweb destinations)
  uploaded_datetime        TIMESTAMP NOT NULL, -- UTC, when this outcome was reached
  status                   TEXT NOT NULL,      -- sent | already_present | failed
  error                    TEXT,               -- why it failed (last attempt)
  attempts                 INTEGER NOT NULL,   -- requests that carried it in the last run
  transfer_syntax_uid      TEXT,               -- as it travelled (uncompressed when decompressed)
  UNIQUE (destination, sop_instance_id)
);
CREATE INDEX IF NOT EXISTS file_upload_metadata_sop ON file_upload_metadata (sop_instance_id);
