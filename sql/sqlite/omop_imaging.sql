-- Imaging extension tables (MI-CDM, R-CDM, d2e metadata) and dicometl's own bookkeeping,
-- created only when missing.
CREATE TABLE IF NOT EXISTS image_occurrence (
  image_occurrence_id integer NOT NULL PRIMARY KEY, person_id integer NOT NULL,
  procedure_occurrence_id integer NOT NULL REFERENCES procedure_occurrence (procedure_occurrence_id),
  visit_occurrence_id integer NULL, anatomic_site_concept_id integer NULL, wadors_uri TEXT NULL,
  local_path TEXT NULL, image_occurrence_date date NOT NULL,
  image_study_uid TEXT NOT NULL, image_series_uid TEXT NOT NULL,
  modality_concept_id integer NOT NULL);
CREATE TABLE IF NOT EXISTS image_feature (
  image_feature_id integer NOT NULL PRIMARY KEY, person_id integer NOT NULL,
  image_occurrence_id integer NOT NULL REFERENCES image_occurrence (image_occurrence_id),
  image_feature_event_field_concept_id integer NULL,
  image_feature_event_id integer NULL, image_feature_concept_id integer NOT NULL,
  image_feature_type_concept_id integer NOT NULL, image_finding_concept_id integer NULL,
  image_finding_id integer NULL, anatomic_site_concept_id integer NULL, alg_system TEXT NULL,
  alg_datetime TIMESTAMP NULL);
CREATE TABLE IF NOT EXISTS radiology_occurrence (
  radiology_occurrence_id bigint NOT NULL PRIMARY KEY, radiology_occurrence_date date NOT NULL,
  radiology_occurrence_datetime TIMESTAMP NULL, person_id bigint NOT NULL,
  condition_occurrence_id bigint NULL, device_concept_id bigint NOT NULL,
  radiology_modality_concept_id bigint NOT NULL, radiology_protocol_concept_id bigint NOT NULL,
  person_position_concept_id bigint NULL, image_total_count bigint NOT NULL,
  anatomic_site_concept_id bigint NULL, radiology_comment varchar(2048) NULL,
  image_dosage_unit_concept varchar(4) NULL, dosage_value_as_number REAL NULL,
  image_exposure_time_unit_concept varchar(4) NULL, image_exposure_time REAL NULL,
  visit_occurrence_id bigint NULL, radiology_dirpath varchar(255) NOT NULL);
CREATE TABLE IF NOT EXISTS radiology_image (
  image_id bigint NOT NULL PRIMARY KEY,
  radiology_occurrence_id bigint NOT NULL REFERENCES radiology_occurrence (radiology_occurrence_id),
  person_id bigint NOT NULL, image_type varchar(255) NOT NULL, radiology_phase_concept_id bigint NOT NULL,
  image_no bigint NOT NULL, phase_total_no bigint NOT NULL, image_resolution_rows bigint NOT NULL,
  image_resolution_columns bigint NOT NULL, image_window_level_center varchar(255) NULL,
  image_window_level_width varchar(255) NULL, image_slice_thickness REAL NULL,
  image_filepath varchar(1024) NOT NULL);
CREATE TABLE IF NOT EXISTS dicom_data_element (
  data_element_id integer NOT NULL PRIMARY KEY, data_element_tag varchar(11) NOT NULL,
  data_element_name varchar(255) NULL, data_element_keyword varchar(255) NULL,
  value_representation varchar(20) NULL, value_multiplicity varchar(20) NULL, is_private INTEGER NOT NULL,
  is_retired INTEGER NOT NULL, retired_remarks varchar(255) NULL,
  etl_created_datetime TIMESTAMP NOT NULL, etl_modified_datetime TIMESTAMP NOT NULL);
CREATE TABLE IF NOT EXISTS dicom_file_metadata (
  metadata_id bigint NOT NULL PRIMARY KEY, data_element_id integer NULL,
  data_element_concept_id integer NULL, metadata_source_name varchar(255) NULL,
  metadata_source_keyword varchar(255) NULL, metadata_source_tag varchar(11) NOT NULL,
  metadata_source_group_number integer NOT NULL, metadata_source_value_representation varchar(2) NULL,
  metadata_source_value_multiplicity integer NULL, metadata_source_value TEXT NULL,
  value_as_number REAL NULL, value_as_concept_id integer NULL,
  is_sequence INTEGER NOT NULL, sequence_length integer NULL, parent_sequence_id bigint NULL,
  parent_dataset_id integer NULL, is_private INTEGER NOT NULL, private_creator varchar(255) NULL,
  sop_instance_id TEXT NOT NULL, instance_number integer NULL, person_id integer NULL,
  image_occurrence_id integer NOT NULL REFERENCES image_occurrence (image_occurrence_id),
  etl_created_datetime TIMESTAMP NOT NULL,
  etl_modified_datetime TIMESTAMP NOT NULL);
CREATE INDEX IF NOT EXISTS dicom_file_metadata_sop ON dicom_file_metadata (sop_instance_id);
-- Per-study image counts are refreshed after each batch: without this index every refresh scans
-- the whole table.
CREATE INDEX IF NOT EXISTS radiology_image_occurrence ON radiology_image (radiology_occurrence_id, radiology_phase_concept_id);
-- (kind, DICOM key) → the integer id dicometl gave it: what keeps ids stable across runs.
CREATE TABLE IF NOT EXISTS dicometl_omop_id (
  kind text NOT NULL, source_key text NOT NULL, id bigint NOT NULL, PRIMARY KEY (kind, source_key));
-- Why a study wrote no OMOP rows (e.g. no person under --missing-person skip).
CREATE TABLE IF NOT EXISTS dicometl_omop_skip (
  kind text NOT NULL, source_key text NOT NULL, reason text NOT NULL, recorded_at TIMESTAMP NOT NULL,
  PRIMARY KEY (kind, source_key));
