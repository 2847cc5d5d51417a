#!/usr/bin/python3
"""OMOP conformance on a real PostgreSQL: OHDSI's v5.4 tables, then a dicometl run, then OHDSI's
primary keys and every foreign key its constraint script declares (cdm54/*.txt, written from the
published v5.4 specification) — each must apply.

Cases:
  athena  the CDM holds an Athena-like vocabulary subset (as Athena ships it: no DICOM rows); the
          run also exercises person matching across letter case, truncation, PN values, skipped
          studies written later, SR objects, load_vocab --json, a missing job folder and
          --modality-concepts
  fresh   the CDM tables are empty: dicometl must write every row its rows refer to
  d2e     the imaging tables made by d2e's data-management plugin DDL (dicom_file_metadata without
          data_element_id/multiplicity/parent_dataset_id, group number as hex text, metadata_id
          integer or uuid text), run from camelCase job files
The DICOM files are written here with pydicom; expected values come from them, never from dicometl.
"""
import argparse, json, os, subprocess, sys, tempfile

from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.filewriter import dcmwrite
from pydicom.uid import ExplicitVRLittleEndian, generate_uid

from omop_test import check, cleanup, failures, report, start_postgres

HERE = os.path.dirname(os.path.abspath(__file__))
CDM54 = os.path.join(HERE, "cdm54")
CT_IMAGE = "1.2.840.10008.5.1.4.1.1.2"
BASIC_SR = "1.2.840.10008.5.1.4.1.1.88.11"

def run(cmd, ok=(0, 1)):
    print("$ " + " ".join(cmd), flush=True)
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    sys.stdout.write(p.stdout[-3000:])
    sys.stderr.write(p.stderr[-3000:])
    if ok is not None and p.returncode not in ok:
        failures.append("exit %d: %s" % (p.returncode, " ".join(cmd)))
    return p


# --- DICOM files -------------------------------------------------------------------------------

def write_dicom(path, patient_id, study, series, sop_class=CT_IMAGE, modality="CT", name="Test^Patient",
                image_type="ORIGINAL\\PRIMARY\\AXIAL", birth="19700101", sex="F", instance=1):
    ds = Dataset()
    ds.SpecificCharacterSet = "ISO_IR 192"
    ds.SOPClassUID = sop_class
    ds.SOPInstanceUID = generate_uid()
    ds.StudyInstanceUID = study
    ds.SeriesInstanceUID = series
    ds.Modality = modality
    ds.StudyDate = "20200102"
    ds.StudyTime = "101010"
    ds.StudyDescription = "keys test"
    ds.PatientID = patient_id
    ds.PatientName = name
    ds.PatientBirthDate = birth
    ds.PatientSex = sex
    ds.BodyPartExamined = "CHEST"
    region = Dataset()  # coded anatomy: a sequence, and the SNOMED code a site resolves
    region.CodeValue, region.CodingSchemeDesignator, region.CodeMeaning = "51185008", "SCT", "Chest"
    ds.AnatomicRegionSequence = [region]
    ds.InstanceNumber = instance
    if sop_class == CT_IMAGE:
        ds.ImageType = image_type.split("\\")
        ds.Rows, ds.Columns = 2, 2
        ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 16, 15, 0
        ds.SamplesPerPixel, ds.PhotometricInterpretation = 1, "MONOCHROME2"
        ds.PixelData = b"\0" * 8
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = ds.SOPClassUID
    meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.file_meta = meta
    ds.is_little_endian, ds.is_implicit_VR = True, False
    os.makedirs(os.path.dirname(path), exist_ok=True)
    dcmwrite(path, ds, write_like_original=False)
    return ds


def make_archive(root):
    """The files and what the test expects of them."""
    t = {"studies": {}}

    def study(key, patient, n=1, folder=None, **kw):
        st, se = generate_uid(), generate_uid()
        folder = folder or os.path.join(root, key)
        for i in range(n):
            write_dicom(os.path.join(folder, "%s_%d.dcm" % (key, i)), patient, st, se, instance=i + 1, **kw)
        t["studies"][key] = st
        return st

    # Item 9: one patient in two spellings, in the same batch.
    study("edge_lower", "edge-case", 2)
    study("edge_upper", "EDGE-CASE", 1)
    # Item 11: a person name with an ideographic group.
    study("pn", "pn-patient", 1, name="Yamada^Tarou=山田^太郎")
    # Item 10: a folder longer than radiology_dirpath's 255 characters.
    deep = os.path.join(root, "d" * 120, "e" * 120, "f" * 40)
    t["deep_dir"] = deep
    study("deep", "deep-patient", 1, folder=deep)
    # Item 10 (RadETL widths): a folder that fits 255, a file path that does not.
    wide = root + "/" + "w" * (250 - len(root) - 1)
    assert len(wide) == 250
    study("wide", "wide-patient", 1, folder=wide)
    # Item 14: an SR object next to an image in one study.
    st = study("sr", "sr-patient", 1)
    write_dicom(os.path.join(root, "sr", "report.dcm"), "sr-patient", st, generate_uid(), sop_class=BASIC_SR,
                modality="SR")
    # Item 14: a patient the site knows only after the first run.
    study("later", "Later-Patient", 1)
    return t


# --- Database ----------------------------------------------------------------------------------

class Pg:
    def __init__(self, url):
        import psycopg2
        self.conn = psycopg2.connect(url)
        self.conn.autocommit = True

    def q(self, sql, args=None):
        cur = self.conn.cursor()
        cur.execute(sql, args)
        return cur.fetchall() if cur.description else []

    def one(self, sql, args=None):
        return self.q(sql, args)[0][0]

    def try_exec(self, sql):
        try:
            self.conn.cursor().execute(sql)
            return None
        except Exception as e:  # the failing key's message
            return str(e).splitlines()[0]


def create_cdm(db, schema):
    db.q("CREATE SCHEMA %s" % schema)
    db.q(open(os.path.join(CDM54, "tables.sql")).read().replace("@cdm", schema))


def keys(name):
    return [l.strip() for l in open(os.path.join(CDM54, name)) if l.strip() and not l.startswith("#")]


def apply_keys(db, schema, label):
    """OHDSI's primary keys, then every foreign key: each must apply to the rows a run left."""
    bad = []
    pks = keys("primary_keys.txt")
    for k in pks:
        table, col = k.split(".")
        err = db.try_exec("ALTER TABLE %s.%s ADD CONSTRAINT xpk_%s PRIMARY KEY (%s)" % (schema, table, table, col))
        if err:
            bad.append("%s: %s" % (k, err))
    fks = keys("foreign_keys.txt")
    for k in fks:
        child, parent = [x.strip() for x in k.split("->")]
        ct, cc = child.split(".")
        pt, pc = parent.split(".")
        err = db.try_exec("ALTER TABLE %s.%s ADD CONSTRAINT fpk_%s_%s FOREIGN KEY (%s) REFERENCES %s.%s (%s)"
                          % (schema, ct, ct, cc, cc, schema, pt, pc))
        if err:
            n = db.one("SELECT count(*) FROM %s.%s x WHERE x.%s IS NOT NULL AND NOT EXISTS (SELECT 1 FROM %s.%s p "
                       "WHERE p.%s = x.%s)" % (schema, ct, cc, schema, pt, pc, cc))
            bad.append("%s (%d dangling): %s" % (k, n, err))
    for b in bad:
        print("     " + b)
    check(len(pks) == 28 and len(fks) == 178, "%s: OHDSI's 28 primary keys and 178 foreign keys read" % label)
    check(not bad, "%s: every primary and foreign key applies after the run (%d failed)" % (label, len(bad)))


# An Athena-like subset: rows as Athena ships them (no DICOM vocabulary). SNOMED rows are shaped like
# Athena's; the procedure concept named as DICOM's "Computed tomography" is what d2e's lookup finds.
ATHENA = """
INSERT INTO @s.vocabulary VALUES ('None','OMOP Standardized Vocabularies','OMOP generated','v5.0 TEST',44819096),
 ('SNOMED','Systematic Nomenclature of Medicine - Clinical Terms (IHTSDO)','http://www.snomed.org/','TEST',44819097),
 ('Type Concept','OMOP Type Concept','OMOP generated',NULL,32808), ('Gender','OMOP Gender','OMOP generated',NULL,44819108),
 ('Visit','OMOP Visit','OMOP generated',NULL,44819119), ('CDM','OMOP Common DataModel','https://github.com/OHDSI/CommonDataModel','CDM v6.0.0',32485),
 ('Vocabulary','OMOP Vocabulary','OMOP generated',NULL,44819232), ('Concept Class','OMOP Concept Class','OMOP generated',NULL,44819233),
 ('Domain','OMOP Domain','OMOP generated',NULL,44819147), ('Relationship','OMOP Relationship','OMOP generated',NULL,44819235);
INSERT INTO @s.domain VALUES ('Metadata','Metadata',7), ('Type Concept','Type Concept',58), ('Gender','Gender',2),
 ('Visit','Visit',8), ('Measurement','Measurement',21), ('Procedure','Procedure',10), ('Spec Anatomic Site','Specimen Anatomic Site',38);
INSERT INTO @s.concept_class VALUES ('Undefined','Undefined',44819044), ('Type Concept','Type Concept',581453),
 ('Gender','Gender',44819086), ('Visit','OMOP Visit',44819023), ('CDM','CDM',32522), ('Vocabulary','OMOP Vocabulary',44819279),
 ('Concept Class','OMOP Concept Class',44819247), ('Domain','Domain',44819025), ('Relationship','OMOP Relationship',44819274),
 ('Body Structure','Body Structure',44818996), ('Procedure','Procedure',44819080);
INSERT INTO @s.relationship VALUES ('Maps to','Non-standard to Standard map (OMOP)','0','0','Mapped from',44818977),
 ('Mapped from','Standard to Non-standard map (OMOP)','0','0','Maps to',44818976),
 ('Maps to value','Non-standard to value_as_concept map (OMOP)','0','0','Value mapped from',44819239),
 ('Value mapped from','Value_as_concept to non-standard map (OMOP)','0','0','Maps to value',44819242);
INSERT INTO @s.concept VALUES
 (0,'No matching concept','Metadata','None','Undefined',NULL,'No matching concept','1970-01-01','2099-12-31',NULL),
 (32817,'EHR','Type Concept','Type Concept','Type Concept','S','OMOP4976890','1970-01-01','2099-12-31',NULL),
 (8507,'MALE','Gender','Gender','Gender','S','M','1970-01-01','2099-12-31',NULL),
 (8532,'FEMALE','Gender','Gender','Gender','S','F','1970-01-01','2099-12-31',NULL),
 (9202,'Outpatient Visit','Visit','Visit','Visit','S','OP','1970-01-01','2099-12-31',NULL),
 (756265,'OMOP CDM Version 5.4.0','Metadata','CDM','CDM','S','CDM v5.4.0','1970-01-01','2099-12-31',NULL),
 (4184181,'Chest','Spec Anatomic Site','SNOMED','Body Structure','S','51185008','1970-01-01','2099-12-31',NULL),
 (4300757,'Computed tomography','Procedure','SNOMED','Procedure','S','77477000','1970-01-01','2099-12-31',NULL);
INSERT INTO @s.concept SELECT id, name, 'Metadata', v, v, NULL, 'OMOP generated', '1970-01-01', '2099-12-31', NULL FROM (VALUES
 (44819096,'OMOP Standardized Vocabularies','Vocabulary'), (44819097,'Systematic Nomenclature of Medicine - Clinical Terms (IHTSDO)','Vocabulary'),
 (32808,'OMOP Type Concept','Vocabulary'), (44819108,'OMOP Gender','Vocabulary'), (44819119,'OMOP Visit','Vocabulary'),
 (32485,'OMOP Common DataModel','Vocabulary'), (44819232,'OMOP Vocabulary','Vocabulary'), (44819233,'OMOP Concept Class','Vocabulary'),
 (44819147,'OMOP Domain','Vocabulary'), (44819235,'OMOP Relationship','Vocabulary'),
 (7,'Metadata','Domain'), (58,'Type Concept','Domain'), (2,'Gender','Domain'), (8,'Visit','Domain'), (21,'Measurement','Domain'),
 (10,'Procedure','Domain'), (38,'Specimen Anatomic Site','Domain'),
 (44819044,'Undefined','Concept Class'), (581453,'Type Concept','Concept Class'), (44819086,'Gender','Concept Class'),
 (44819023,'OMOP Visit','Concept Class'), (32522,'CDM','Concept Class'), (44819279,'OMOP Vocabulary','Concept Class'),
 (44819247,'OMOP Concept Class','Concept Class'), (44819025,'Domain','Concept Class'), (44819274,'OMOP Relationship','Concept Class'),
 (44818996,'Body Structure','Concept Class'), (44819080,'Procedure','Concept Class'),
 (44818977,'Non-standard to Standard map (OMOP)','Relationship'), (44818976,'Standard to Non-standard map (OMOP)','Relationship'),
 (44819239,'Non-standard to value_as_concept map (OMOP)','Relationship'),
 (44819242,'Value_as_concept to non-standard map (OMOP)','Relationship')) AS m(id, name, v);
"""

# d2e's data-management plugin: its medical-imaging changeset for the MI-CDM tables, and its
# dicom_file_metadata (spec/omop-imaging.md): no data_element_id, multiplicity or parent_dataset_id,
# group number as hex text. @id is its metadata_id type (integer; a later changeset: varchar uuid).
D2E = """
CREATE SCHEMA @s;
CREATE TABLE @s.image_occurrence (image_occurrence_id integer NOT NULL, person_id integer NOT NULL,
  procedure_occurrence_id integer NOT NULL, visit_occurrence_id integer, anatomic_site_concept_id integer, wadors_uri text,
  local_path text, image_occurrence_date date NOT NULL, image_study_uid varchar(250) NOT NULL,
  image_series_uid varchar(250) NOT NULL, modality_concept_id integer NOT NULL);
CREATE TABLE @s.image_feature (image_feature_id integer NOT NULL, person_id integer NOT NULL, image_occurrence_id integer NOT NULL,
  image_feature_event_field_concept_id integer, image_feature_event_id integer, image_feature_concept_id integer NOT NULL,
  image_feature_type_concept_id integer NOT NULL, image_finding_concept_id integer, image_finding_id integer,
  anatomic_site_concept_id integer, alg_system text, alg_datetime timestamp);
CREATE TABLE @s.dicom_file_metadata (metadata_id @id NOT NULL, data_element_concept_id integer, person_id integer,
  value_as_number numeric, value_as_concept_id integer, measurement_source_value varchar(50), metadata_source_name varchar(255),
  metadata_source_keyword varchar(255), metadata_source_tag varchar(20) NOT NULL, metadata_source_group_number varchar(20),
  metadata_source_value_representation varchar(20), metadata_source_value text, is_sequence boolean, sequence_length integer,
  parent_sequence_id integer, is_private boolean, private_creator varchar(255), sop_instance_id varchar(255),
  instance_number integer, image_occurrence_id integer NOT NULL, etl_created_datetime timestamp NOT NULL,
  etl_modified_datetime timestamp NOT NULL);
"""

# RadETL's radiology_image widths (image_type and image_filepath varchar(255)).
RADETL = """
CREATE SCHEMA @s;
CREATE TABLE @s.radiology_image (image_id bigint NOT NULL, radiology_occurrence_id bigint NOT NULL, person_id bigint NOT NULL,
  image_type varchar(255) NOT NULL, radiology_phase_concept_id bigint NOT NULL, image_no bigint NOT NULL,
  phase_total_no bigint NOT NULL, image_resolution_rows bigint NOT NULL, image_resolution_columns bigint NOT NULL,
  image_window_level_center varchar(255) NULL, image_window_level_width varchar(255) NULL,
  image_slice_thickness double precision NULL, image_filepath varchar(255) NOT NULL);
"""


def schemas(imaging="imaging"):
    return ["--cdm-schema", "cdm", "--vocab-schema", "cdm", "--imaging-schema", imaging]


def common_checks(db, t, imaging, label):
    st = t["studies"]
    n = db.one("SELECT count(*) FROM cdm.procedure_occurrence WHERE procedure_date IS NOT NULL")
    check(n == len(st), "%s: a procedure per study (%d)" % (label, len(st)))
    persons = db.one("SELECT count(DISTINCT p.person_id) FROM cdm.procedure_occurrence p JOIN %s.image_occurrence i "
                     "USING (procedure_occurrence_id) WHERE i.image_study_uid IN (%%s, %%s)" % imaging,
                     (st["edge_lower"], st["edge_upper"]))
    check(persons == 1, "%s: edge-case and EDGE-CASE in one batch are one person (%d)" % (label, persons))
    # Item 11: PN in the DICOM JSON model
    pn = db.q("SELECT metadata_source_value FROM %s.dicom_file_metadata WHERE metadata_source_tag = '(0010,0010)' "
              "AND metadata_source_value LIKE %%s" % imaging, ("%Yamada%",))
    want = [{"Alphabetic": "Yamada^Tarou", "Ideographic": "山田^太郎"}]
    check(len(pn) == 1 and json.loads(pn[0][0]) == want, "%s: PatientName as [{Alphabetic, Ideographic}]: %s" % (label, pn))
    # Item 14: an SR object is not an R-CDM image; why is recorded
    sr = db.one("SELECT count(*) FROM %s.radiology_image WHERE image_resolution_rows = 0" % imaging)
    check(sr == 0, "%s: no radiology_image row with 0x0 resolution (%d)" % (label, sr))
    check(db.one("SELECT count(*) FROM %s.dicometl_omop_skip WHERE kind = 'radiology_image' AND reason LIKE "
                 "'not an image%%%%'" % imaging) == 1, "%s: the SR object's skip says it is not an image" % label)


def setup(args, url, athena_rows):
    """The files, and OHDSI's v5.4 tables in schema cdm (with the Athena-like subset or empty)."""
    arch = os.path.join(args.work, "arch")
    t = make_archive(arch)
    db = Pg(url)
    create_cdm(db, "cdm")
    if athena_rows:
        db.q(ATHENA.replace("@s", "cdm"))
    return args.dicometl, arch, t, db


def athena(args, url):
    d, arch, t, db = setup(args, url, True)
    db.q(RADETL.replace("@s", "imaging"))
    # load_vocab through a job, as d2e runs it; --json prints one JSON object (item 14)
    job = os.path.join(args.work, "vocab.json")
    json.dump({"options": {"flow_action_type": "load_vocab", "cdm_schema_name": "cdm", "vocab_schema_name": "cdm",
                           "medical_imaging_schema_name": "imaging"}}, open(job, "w"))
    p = run([d, "run", job, "--db", url, "--json"], ok=(0,))
    try:
        out = json.loads(p.stdout)
        check(out.get("concepts") == 8811, "run load_vocab --json prints JSON (8811 DICOM concepts)")
    except ValueError:
        check(False, "run load_vocab --json prints JSON, not %r" % p.stdout[:80])
    # first run: nobody is a person yet (skip) — every study recorded as skipped
    run([d, "ingest", arch, "--db", url, "--omop", "--missing-person", "skip", "-q"] + schemas())
    skipped = db.one("SELECT count(*) FROM imaging.dicometl_omop_skip WHERE kind = 'study'")
    check(skipped == len(t["studies"]), "first run: %d studies skipped, with a reason" % skipped)
    # the site adds a person for one patient (lower case); the next run creates the others
    db.q("INSERT INTO cdm.person (person_id, gender_concept_id, year_of_birth, race_concept_id, ethnicity_concept_id, "
         "person_source_value) VALUES (900, 8532, 1970, 0, 0, 'later-patient')")
    run([d, "omop", "--db", url, "--missing-person", "create", "--visits"] + schemas())
    common_checks(db, t, "imaging", "athena")
    st = t["studies"]
    check(db.one("SELECT count(*) FROM cdm.procedure_occurrence p JOIN imaging.image_occurrence i USING "
                 "(procedure_occurrence_id) WHERE i.image_study_uid = %s AND p.person_id = 900", (st["later"],)) == 1,
          "the patient the site added later is written to its person")
    both = db.one("SELECT count(*) FROM imaging.dicometl_omop_skip s WHERE s.kind = 'study' AND EXISTS (SELECT 1 FROM "
                  "imaging.image_occurrence i WHERE i.image_study_uid = s.source_key)")
    check(both == 0, "no study is both written and recorded as skipped (%d)" % both)
    # Item 10: no cut path; what does not fit is recorded
    long_dirs = db.one("SELECT count(*) FROM imaging.radiology_occurrence WHERE radiology_dirpath LIKE %s",
                       (t["deep_dir"][:200] + "%",))
    check(long_dirs == 0, "no radiology_dirpath cut to 255 characters")
    reason = db.q("SELECT reason FROM imaging.dicometl_omop_skip WHERE kind = 'radiology_occurrence' AND source_key = %s",
                  (st["deep"],))
    check(len(reason) == 1 and "radiology_dirpath" in reason[0][0], "the deep folder's R-CDM skip says why: %s" % reason)
    wide = db.q("SELECT reason FROM imaging.dicometl_omop_skip WHERE kind = 'radiology_image' AND reason LIKE "
                "'image_filepath%%'")
    check(len(wide) == 1 and "255" in wide[0][0], "a file path longer than RadETL's image_filepath is recorded: %s" % wide)
    check((db.one("SELECT max(length(image_filepath)) FROM imaging.radiology_image") or 0) <= 255,
          "image_filepath fits 255")
    # Item 13: dicom (the default of omop) writes DICOM's value concept; snomed the site's standard
    # SNOMED procedure named as that value concept (d2e's reading), here into a second imaging schema
    ct = ("SELECT DISTINCT i.modality_concept_id FROM %s.image_occurrence i JOIN %s.dicom_file_metadata m ON "
          "m.image_occurrence_id = i.image_occurrence_id WHERE m.metadata_source_tag = '(0008,0060)' AND "
          "m.metadata_source_value = '[\"CT\"]'")
    mods = {r[0] for r in db.q(ct % ("imaging", "imaging"))}
    check(mods == {2128009190}, "--modality-concepts dicom (default): CT → 2128009190 %s" % mods)
    run([d, "omop", "--db", url, "--missing-person", "create", "--modality-concepts", "snomed"] + schemas("snomed"))
    mods = {r[0] for r in db.q(ct % ("snomed", "snomed"))}
    check(mods == {4300757}, "--modality-concepts snomed: CT → the site's SNOMED procedure %s" % mods)
    # Item 14: a job whose folder does not exist says so on the console
    missing = os.path.join(args.work, "no-such-folder")
    job2 = os.path.join(args.work, "missing.json")
    json.dump({"options": {"flow_action_type": "ingest_metadata", "dicom_files_abs_path": missing, "cdm_schema_name": "cdm",
                           "vocab_schema_name": "cdm", "medical_imaging_schema_name": "imaging"}}, open(job2, "w"))
    p = run([d, "run", job2, "--db", url], ok=None)
    check(p.returncode == 1 and missing in p.stderr and "does not exist" in p.stderr,
          "a job's missing dicom_files_abs_path is reported on the console, exit 1 (got %d)" % p.returncode)
    apply_keys(db, "cdm", "athena")


def fresh(args, url):
    d, arch, t, db = setup(args, url, False)
    run([d, "vocab", "load", "--db", url] + schemas(), ok=(0,))
    run([d, "ingest", arch, "--db", url, "--omop", "--missing-person", "create", "--visits", "-q"] + schemas())
    common_checks(db, t, "imaging", "fresh")
    dangling = db.one("SELECT count(*) FROM imaging.image_occurrence i WHERE i.anatomic_site_concept_id <> 0 AND NOT "
                      "EXISTS (SELECT 1 FROM cdm.concept c WHERE c.concept_id = i.anatomic_site_concept_id)")
    check(dangling == 0, "fresh: no anatomic site id without its concept row (%d)" % dangling)
    apply_keys(db, "cdm", "fresh")


def d2e(args, url):
    d, arch, t, db = setup(args, url, True)
    db.q(D2E.replace("@s", "imaging").replace("@id", "integer"))
    db.q(D2E.replace("@s", "imaging_uuid").replace("@id", "varchar(255)"))
    # a row d2e wrote before (uuid ids) stays and does not stop dicometl's id counter
    db.q("INSERT INTO imaging_uuid.dicom_file_metadata (metadata_id, metadata_source_tag, image_occurrence_id, "
         "etl_created_datetime, etl_modified_datetime) VALUES ('1b4e28ba-2fa1-11d2-883f-0016d3cca427', '(0008,0060)', 1, "
         "now(), now())")
    # the site knows every patient (person_source_value, d2e's default mapping): no person 0 rows,
    # which OHDSI's person foreign keys would refuse
    for i, pid in enumerate(["edge-case", "pn-patient", "deep-patient", "wide-patient", "sr-patient", "later-patient"]):
        db.q("INSERT INTO cdm.person (person_id, gender_concept_id, year_of_birth, race_concept_id, ethnicity_concept_id, "
             "person_source_value) VALUES (%s, 8532, 1970, 0, 0, %s)", (100 + i, pid))
    for imaging in ("imaging", "imaging_uuid"):
        def job(action):
            o = {"flowActionType": action, "databaseCode": "alpdev_pg", "cdmSchemaName": "cdm", "vocabSchemaName": "cdm",
                 "medicalImagingSchemaName": imaging, "toTruncate": False, "uploadFiles": False,
                 "dicomFilesAbsPath": arch if action == "ingest_metadata" else "",
                 "missingPersonIdOptions": "skip",
                 "personToPatientMapping": {"tableName": "", "schemaName": "", "personIdColumnName": "",
                                            "patientIdColumnName": ""}}
            if imaging == "imaging":  # the plugin's own snake_case spelling
                o = {"flow_action_type": action, "database_code": "alpdev_pg", "cdm_schema_name": "cdm",
                     "vocab_schema_name": "cdm", "medical_imaging_schema_name": imaging,
                     "dicom_files_abs_path": o["dicomFilesAbsPath"], "missing_person_id_options": "skip"}
            path = os.path.join(args.work, "%s-%s.json" % (imaging, action))
            json.dump({"options": o}, open(path, "w"))
            return path
        run([d, "run", job("load_vocab"), "--db", url], ok=(0,))
        p = run([d, "run", job("ingest_metadata"), "--db", url])
        check(p.returncode in (0, 1), "%s: the ingest job on d2e's tables finishes (exit %d)" % (imaging, p.returncode))
        n = db.one("SELECT count(*) FROM %s.dicom_file_metadata WHERE metadata_source_tag = '(0008,0060)' AND "
                   "metadata_source_group_number = '0008'" % imaging)
        check(n >= len(t["studies"]), "%s: group number written as d2e's hex text '0008' (%d Modality rows)" % (imaging, n))
        kids = db.one("SELECT count(*) FROM %s.dicom_file_metadata c JOIN %s.dicom_file_metadata p ON "
                      "CAST(p.metadata_id AS text) = CAST(c.parent_sequence_id AS text)" % (imaging, imaging))
        seqs = db.one("SELECT count(*) FROM %s.dicom_file_metadata WHERE is_sequence" % imaging)
        check(seqs > 0 and kids > 0, "%s: sequence items point to their parent's metadata_id (%d, %d)" % (imaging, seqs, kids))
        procs = db.one("SELECT count(*) FROM %s.image_occurrence" % imaging)
        check(procs == len(t["studies"]) + 1, "%s: an image_occurrence per series (%d)" % (imaging, procs))
        # CT series: the SNOMED procedure of that name; the SR series: none in this subset, 0
        mods = sorted(r[0] for r in db.q("SELECT modality_concept_id FROM %s.image_occurrence" % imaging))
        check(mods == [0] + [4300757] * len(t["studies"]),
              "%s: dicometl run writes d2e's SNOMED modality concept by default: %s" % (imaging, mods))
    check(db.one("SELECT count(*) FROM imaging_uuid.dicom_file_metadata WHERE metadata_id = "
                 "'1b4e28ba-2fa1-11d2-883f-0016d3cca427'") == 1, "d2e's own uuid row is kept")
    apply_keys(db, "cdm", "d2e")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dicometl", required=True)
    ap.add_argument("--case", choices=["athena", "fresh", "d2e"], required=True)
    args = ap.parse_args()
    args.work = tempfile.mkdtemp(prefix="dicometl-keys-")
    os.chmod(args.work, 0o755)
    pgdir = os.path.join(args.work, "pg")
    try:
        {"athena": athena, "fresh": fresh, "d2e": d2e}[args.case](args, start_postgres(pgdir))
    finally:
        cleanup(args.work, pgdir)
    report()


if __name__ == "__main__":
    main()
