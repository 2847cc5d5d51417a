-- OMOP CDM v5.4 measurement, as OHDSI's DDL (SQLite types) defines it. Only `dicometl dexa` writes it
-- (bone-density values), so it is created only then and only when missing.
CREATE TABLE IF NOT EXISTS measurement (
  measurement_id integer NOT NULL PRIMARY KEY, person_id integer NOT NULL,
  measurement_concept_id integer NOT NULL, measurement_date date NOT NULL,
  measurement_datetime TIMESTAMP NULL, measurement_time varchar(10) NULL,
  measurement_type_concept_id integer NOT NULL, operator_concept_id integer NULL,
  value_as_number NUMERIC NULL, value_as_concept_id integer NULL, unit_concept_id integer NULL,
  range_low NUMERIC NULL, range_high NUMERIC NULL, provider_id integer NULL,
  visit_occurrence_id integer NULL, visit_detail_id integer NULL,
  measurement_source_value varchar(50) NULL, measurement_source_concept_id integer NULL,
  unit_source_value varchar(50) NULL, unit_source_concept_id integer NULL,
  value_source_value varchar(50) NULL, measurement_event_id bigint NULL,
  meas_event_field_concept_id integer NULL);
