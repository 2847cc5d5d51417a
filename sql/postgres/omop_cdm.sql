-- OMOP CDM v5.4 tables dicometl writes or reads, as OHDSI's PostgreSQL DDL defines them.
-- Created only when missing (a site's database made by OHDSI's DDL is used as it is, never altered).
-- ${cdm} and ${vocab} are replaced by the quoted schema names, e.g. "cdm".
CREATE TABLE IF NOT EXISTS ${cdm}.person (
  person_id integer NOT NULL PRIMARY KEY, gender_concept_id integer NOT NULL,
  year_of_birth integer NOT NULL, month_of_birth integer NULL, day_of_birth integer NULL,
  birth_datetime TIMESTAMP NULL, race_concept_id integer NOT NULL, ethnicity_concept_id integer NOT NULL,
  location_id integer NULL, provider_id integer NULL, care_site_id integer NULL,
  person_source_value varchar(50) NULL, gender_source_value varchar(50) NULL,
  gender_source_concept_id integer NULL, race_source_value varchar(50) NULL,
  race_source_concept_id integer NULL, ethnicity_source_value varchar(50) NULL,
  ethnicity_source_concept_id integer NULL);
CREATE TABLE IF NOT EXISTS ${cdm}.visit_occurrence (
  visit_occurrence_id integer NOT NULL PRIMARY KEY, person_id integer NOT NULL,
  visit_concept_id integer NOT NULL, visit_start_date date NOT NULL, visit_start_datetime TIMESTAMP NULL,
  visit_end_date date NOT NULL, visit_end_datetime TIMESTAMP NULL, visit_type_concept_id Integer NOT NULL,
  provider_id integer NULL, care_site_id integer NULL, visit_source_value varchar(50) NULL,
  visit_source_concept_id integer NULL, admitted_from_concept_id integer NULL,
  admitted_from_source_value varchar(50) NULL, discharged_to_concept_id integer NULL,
  discharged_to_source_value varchar(50) NULL, preceding_visit_occurrence_id integer NULL);
CREATE TABLE IF NOT EXISTS ${cdm}.procedure_occurrence (
  procedure_occurrence_id integer NOT NULL PRIMARY KEY, person_id integer NOT NULL,
  procedure_concept_id integer NOT NULL, procedure_date date NOT NULL, procedure_datetime TIMESTAMP NULL,
  procedure_end_date date NULL, procedure_end_datetime TIMESTAMP NULL,
  procedure_type_concept_id integer NOT NULL, modifier_concept_id integer NULL, quantity integer NULL,
  provider_id integer NULL, visit_occurrence_id integer NULL, visit_detail_id integer NULL,
  procedure_source_value varchar(50) NULL, procedure_source_concept_id integer NULL,
  modifier_source_value varchar(50) NULL);
CREATE TABLE IF NOT EXISTS ${cdm}.cdm_source (
  cdm_source_name varchar(255) NOT NULL, cdm_source_abbreviation varchar(25) NOT NULL,
  cdm_holder varchar(255) NOT NULL, source_description TEXT NULL,
  source_documentation_reference varchar(255) NULL, cdm_etl_reference varchar(255) NULL,
  source_release_date date NOT NULL, cdm_release_date date NOT NULL, cdm_version varchar(10) NULL,
  cdm_version_concept_id integer NOT NULL, vocabulary_version varchar(20) NOT NULL);
CREATE TABLE IF NOT EXISTS ${vocab}.concept (
  concept_id integer NOT NULL PRIMARY KEY, concept_name varchar(255) NOT NULL,
  domain_id varchar(20) NOT NULL, vocabulary_id varchar(20) NOT NULL,
  concept_class_id varchar(20) NOT NULL, standard_concept varchar(1) NULL,
  concept_code varchar(50) NOT NULL, valid_start_date date NOT NULL, valid_end_date date NOT NULL,
  invalid_reason varchar(1) NULL);
CREATE TABLE IF NOT EXISTS ${vocab}.vocabulary (
  vocabulary_id varchar(20) NOT NULL PRIMARY KEY, vocabulary_name varchar(255) NOT NULL,
  vocabulary_reference varchar(255) NULL, vocabulary_version varchar(255) NULL,
  vocabulary_concept_id integer NOT NULL);
CREATE TABLE IF NOT EXISTS ${vocab}.domain (
  domain_id varchar(20) NOT NULL PRIMARY KEY, domain_name varchar(255) NOT NULL,
  domain_concept_id integer NOT NULL);
CREATE TABLE IF NOT EXISTS ${vocab}.concept_class (
  concept_class_id varchar(20) NOT NULL PRIMARY KEY, concept_class_name varchar(255) NOT NULL,
  concept_class_concept_id integer NOT NULL);
CREATE TABLE IF NOT EXISTS ${vocab}.concept_relationship (
  concept_id_1 integer NOT NULL, concept_id_2 integer NOT NULL, relationship_id varchar(20) NOT NULL,
  valid_start_date date NOT NULL, valid_end_date date NOT NULL, invalid_reason varchar(1) NULL);
CREATE TABLE IF NOT EXISTS ${vocab}.relationship (
  relationship_id varchar(20) NOT NULL PRIMARY KEY, relationship_name varchar(255) NOT NULL,
  is_hierarchical varchar(1) NOT NULL, defines_ancestry varchar(1) NOT NULL,
  reverse_relationship_id varchar(20) NOT NULL, relationship_concept_id integer NOT NULL);
