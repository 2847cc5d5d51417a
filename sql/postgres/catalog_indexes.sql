-- Secondary indexes of the catalog. A run into an empty catalog creates them once at its end
-- (sorting once is much cheaper than maintaining them row by row: ~35% of a first run's time);
-- any other run creates them first if missing, so a killed first run is repaired by the next.
CREATE INDEX IF NOT EXISTS instance_series ON instance (series_instance_uid);
CREATE INDEX IF NOT EXISTS series_study ON series (study_instance_uid);
CREATE INDEX IF NOT EXISTS study_patient ON study (patient_id);
CREATE INDEX IF NOT EXISTS file_dir ON file (dir);
CREATE INDEX IF NOT EXISTS file_sop ON file (sop_instance_uid);
