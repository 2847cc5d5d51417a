#!/usr/bin/python3
"""OMOP output conformance, on SQLite or on a real PostgreSQL 15 started for the test.

Cases:
  conformance  vocab load + ingest --omop + omop; FKs, NOT NULL, lengths, dates, counts vs the
               generator's manifest, re-runs add nothing            (sqlite | postgres)
  ohdsi        a CDM v5.4 schema written here from the spec's columns (as OHDSI's DDL has them,
               no keys), with a site's own rows: dicometl inserts without altering it, keeps
               the site's rows, maps persons through a d2e mapping table, runs a d2e job file
                                                                    (postgres)
  concurrent   two ingests of overlapping trees at once: no duplicates, no id collisions,
               no deadlock                                          (postgres)
Expected values come from the generator's manifest and the spec, never from dicometl.
"""
import argparse, datetime, json, os, shutil, subprocess, sys, tempfile, sqlite3

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
PG_SERVER = os.path.join(ROOT, "tests", "support", "pg_server.sh")
GEN = os.path.join(ROOT, "tests", "generate", "make_archive.py")

# varchar limits from the spec (OHDSI v5.4 DDL, R-CDM)
LENGTHS = {
    ("procedure_occurrence", "procedure_source_value"): 50,
    ("person", "person_source_value"): 50,
    ("person", "gender_source_value"): 50,
    ("cdm_source", "cdm_source_abbreviation"): 25,
    ("cdm_source", "vocabulary_version"): 20,
    ("cdm_source", "cdm_version"): 10,
    ("concept", "concept_name"): 255,
    ("concept", "concept_code"): 50,
    ("concept", "domain_id"): 20, ("concept", "vocabulary_id"): 20, ("concept", "concept_class_id"): 20,
    ("concept", "standard_concept"): 1,
    ("radiology_occurrence", "radiology_comment"): 2048,
    ("radiology_occurrence", "radiology_dirpath"): 255,
    ("radiology_occurrence", "image_dosage_unit_concept"): 4,
}
NOT_NULL = {
    "person": ["person_id", "gender_concept_id", "year_of_birth", "race_concept_id", "ethnicity_concept_id"],
    "visit_occurrence": ["visit_occurrence_id", "person_id", "visit_concept_id", "visit_start_date",
                         "visit_end_date", "visit_type_concept_id"],
    "procedure_occurrence": ["procedure_occurrence_id", "person_id", "procedure_concept_id", "procedure_date",
                             "procedure_type_concept_id"],
    "image_occurrence": ["image_occurrence_id", "person_id", "procedure_occurrence_id", "image_occurrence_date",
                         "image_study_uid", "image_series_uid", "modality_concept_id"],
    "radiology_occurrence": ["radiology_occurrence_id", "radiology_occurrence_date", "person_id",
                             "device_concept_id", "radiology_modality_concept_id",
                             "radiology_protocol_concept_id", "image_total_count", "radiology_dirpath"],
    "radiology_image": ["image_id", "radiology_occurrence_id", "person_id", "image_type",
                        "radiology_phase_concept_id", "image_no", "phase_total_no",
                        "image_resolution_rows", "image_resolution_columns", "image_filepath"],
    "dicom_file_metadata": ["metadata_id", "image_occurrence_id", "etl_created_datetime",
                            "etl_modified_datetime"],
    "cdm_source": ["cdm_source_name", "cdm_source_abbreviation", "cdm_holder", "source_release_date",
                   "cdm_release_date", "cdm_version_concept_id", "vocabulary_version"],
}
DATES = {"procedure_occurrence": ["procedure_date"], "image_occurrence": ["image_occurrence_date"],
         "visit_occurrence": ["visit_start_date", "visit_end_date"],
         "radiology_occurrence": ["radiology_occurrence_date"]}

failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


class Db:
    def __init__(self, url, schemas=None):
        self.url = url
        self.s = schemas or {}
        if url.startswith("sqlite:"):
            self.kind = "sqlite"
            self.conn = sqlite3.connect(url[7:])
        else:
            import psycopg2
            self.kind = "pg"
            self.conn = psycopg2.connect(url)
            self.conn.autocommit = True

    def t(self, table):
        if self.kind == "sqlite":
            return table
        group = "cdm" if table in ("person", "visit_occurrence", "procedure_occurrence", "cdm_source") else \
            "vocab" if table in ("concept", "concept_relationship", "vocabulary", "concept_class") else \
            "catalog" if table in ("study", "series", "instance", "patient") else "imaging"
        return '"%s".%s' % (self.s.get(group, "public"), table)

    def q(self, sql):
        cur = self.conn.cursor()
        cur.execute(sql)
        return cur.fetchall()

    def one(self, sql):
        return self.q(sql)[0][0]


def run(cmd, ok=(0, 1), env=None):
    print("$ " + " ".join(cmd), flush=True)
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    sys.stdout.write(p.stdout[-2000:])
    sys.stderr.write(p.stderr[-2000:])
    if p.returncode not in ok:
        raise SystemExit("command failed with %d: %s" % (p.returncode, " ".join(cmd)))
    return p


def counts(db):
    return {t: db.one("SELECT count(*) FROM " + db.t(t)) for t in
            ("person", "visit_occurrence", "procedure_occurrence", "image_occurrence", "radiology_occurrence",
             "radiology_image", "dicom_file_metadata", "cdm_source")}


def creatable(manifest):
    """The manifest restricted to studies --missing-person create can write: a person needs a
    year of birth, from PatientBirthDate or PatientAge (spec); the others are skipped with a reason."""
    inst = [i for i in manifest["instances"] if i["patient_birth_date"] or i["patient_age"]]
    m = dict(manifest, instances=inst)
    m["counts"] = dict(manifest["counts"], studies=len({i["study_instance_uid"] for i in inst}),
                       series=len({i["series_instance_uid"] for i in inst}), instances=len(inst),
                       patients=len({i["patient_id"] for i in inst}))
    return m


def conformance_checks(db, manifest, person_zero_ok):
    t = db.t
    c = manifest["counts"]
    studies = {i["study_instance_uid"] for i in manifest["instances"]}
    series = {i["series_instance_uid"] for i in manifest["instances"]}
    check(db.one("SELECT count(*) FROM " + t("procedure_occurrence")) == len(studies) == c["studies"],
          "procedure_occurrence rows = studies in the manifest (%d)" % c["studies"])
    check(db.one("SELECT count(*) FROM " + t("image_occurrence")) == len(series) == c["series"],
          "image_occurrence rows = series in the manifest (%d)" % c["series"])
    # R-CDM is one row per image: objects without pixel rows/columns (SR, reports) have none
    images = [i for i in manifest["instances"] if i["rows"] and i["columns"]]
    check(db.one("SELECT count(*) FROM " + t("radiology_image")) == len(images),
          "radiology_image rows = instances with pixels (%d of %d)" % (len(images), c["instances"]))
    not_images = db.one("SELECT count(*) FROM %s WHERE kind = 'radiology_image' AND reason LIKE 'not an image%%'"
                        % t("dicometl_omop_skip"))
    check(not_images == c["instances"] - len(images), "each object without pixels recorded as not an image")
    check(db.one("SELECT count(*) FROM " + t("radiology_occurrence")) == c["studies"], "radiology_occurrence rows = studies")
    got = {r[0] for r in db.q("SELECT image_series_uid FROM " + t("image_occurrence"))}
    check(got == series, "image_occurrence series UIDs = manifest series UIDs")
    # per study: images counted
    per_study = {}
    for i in images:
        per_study[i["study_instance_uid"]] = per_study.get(i["study_instance_uid"], 0) + 1
    for i in manifest["instances"]:  # a study of non-images only still has its occurrence, count 0
        per_study.setdefault(i["study_instance_uid"], 0)
    totals = sorted(r[0] for r in db.q("SELECT image_total_count FROM " + t("radiology_occurrence")))
    check(totals == sorted(per_study.values()), "radiology_occurrence.image_total_count = images per study")
    ri = t("radiology_image")
    bad = db.one("SELECT count(*) FROM %s i WHERE i.phase_total_no <> (SELECT count(*) FROM %s j WHERE "
                 "j.radiology_occurrence_id = i.radiology_occurrence_id AND "
                 "j.radiology_phase_concept_id = i.radiology_phase_concept_id)" % (ri, ri))
    check(bad == 0, "radiology_image.phase_total_no = images of its study and phase")
    # source value: StudyDescription cut to 50
    want = sorted((i["study_description"] or "")[:50] for i in
                  {i["study_instance_uid"]: i for i in manifest["instances"]}.values())
    got = sorted(r[0] or "" for r in db.q("SELECT procedure_source_value FROM " + t("procedure_occurrence")))
    check(got == want, "procedure_source_value = StudyDescription cut to 50 characters")
    check(db.one("SELECT count(*) FROM %s WHERE procedure_type_concept_id <> 32817" % t("procedure_occurrence")) == 0,
          "procedure_type_concept_id = 32817")
    # foreign keys
    zero = " AND x.person_id <> 0" if person_zero_ok else ""
    for table in ("procedure_occurrence", "image_occurrence", "radiology_occurrence", "radiology_image",
                  "visit_occurrence"):
        n = db.one("SELECT count(*) FROM %s x WHERE NOT EXISTS (SELECT 1 FROM %s p WHERE p.person_id = x.person_id)%s"
                   % (t(table), t("person"), zero))
        check(n == 0, "%s.person_id resolves%s" % (table, " (or 0)" if person_zero_ok else ""))
    for child, col, parent, pcol in [
        ("image_occurrence", "procedure_occurrence_id", "procedure_occurrence", "procedure_occurrence_id"),
        ("radiology_image", "radiology_occurrence_id", "radiology_occurrence", "radiology_occurrence_id"),
        ("dicom_file_metadata", "image_occurrence_id", "image_occurrence", "image_occurrence_id"),
        ("dicom_file_metadata", "parent_sequence_id", "dicom_file_metadata", "metadata_id"),
        ("procedure_occurrence", "visit_occurrence_id", "visit_occurrence", "visit_occurrence_id"),
        ("image_occurrence", "visit_occurrence_id", "visit_occurrence", "visit_occurrence_id"),
    ]:
        n = db.one("SELECT count(*) FROM %s x WHERE x.%s IS NOT NULL AND NOT EXISTS (SELECT 1 FROM %s p WHERE p.%s = x.%s)"
                   % (t(child), col, t(parent), pcol, col))
        check(n == 0, "%s.%s resolves" % (child, col))
    for table, col in [("image_occurrence", "modality_concept_id"), ("procedure_occurrence", "procedure_type_concept_id"),
                       ("procedure_occurrence", "procedure_concept_id"), ("person", "gender_concept_id"),
                       ("dicom_file_metadata", "data_element_concept_id"), ("dicom_file_metadata", "value_as_concept_id")]:
        n = db.one("SELECT count(*) FROM %s x WHERE x.%s IS NOT NULL AND x.%s <> 0 AND NOT EXISTS "
                   "(SELECT 1 FROM %s c WHERE c.concept_id = x.%s)" % (t(table), col, col, t("concept"), col))
        check(n == 0, "%s.%s is a concept or 0" % (table, col))
    # anatomic site: a standard concept the DICOM vocabulary maps to (Athena rows are not shipped)
    n = db.one("SELECT count(*) FROM %s x WHERE x.anatomic_site_concept_id <> 0 AND NOT EXISTS (SELECT 1 FROM %s r "
               "WHERE r.relationship_id = 'Maps to' AND r.concept_id_2 = x.anatomic_site_concept_id)"
               % (t("image_occurrence"), t("concept_relationship")))
    check(n == 0, "image_occurrence.anatomic_site_concept_id is a Maps to target or 0")
    check(db.one("SELECT count(*) FROM %s WHERE anatomic_site_concept_id <> 0" % t("image_occurrence")) > 0,
          "some anatomic sites mapped")
    check(db.one("SELECT count(*) FROM %s WHERE modality_concept_id = 0" % t("image_occurrence")) == 0,
          "every generated modality has its DICOM concept")
    # NOT NULL, lengths, dates
    for table, cols in NOT_NULL.items():
        for col in cols:
            n = db.one("SELECT count(*) FROM %s WHERE %s IS NULL" % (t(table), col))
            check(n == 0, "%s.%s NOT NULL filled" % (table, col))
    for (table, col), limit in LENGTHS.items():
        n = db.one("SELECT coalesce(max(length(%s)), 0) FROM %s" % (col, t(table)))
        check(n <= limit, "%s.%s within %d characters (max %d)" % (table, col, limit, n))
    for table, cols in DATES.items():
        for col in cols:
            bad = 0
            for (v,) in db.q("SELECT %s FROM %s" % (col, t(table))):
                try:
                    d = v if isinstance(v, datetime.date) else datetime.date.fromisoformat(v)
                    bad += not (1900 <= d.year <= 2100)
                except (TypeError, ValueError):
                    bad += 1
            check(bad == 0, "%s.%s holds real dates" % (table, col))
    want_dates = sorted(datetime.date.fromisoformat("%s-%s-%s" % (d[:4], d[4:6], d[6:])) for d in
                        {i["study_instance_uid"]: i["study_date"] for i in manifest["instances"]}.values())
    got = sorted(v if isinstance(v, datetime.date) else datetime.date.fromisoformat(v) for (v,) in
                 db.q("SELECT procedure_date FROM " + t("procedure_occurrence")))
    check(got == want_dates, "procedure_date = StudyDate")
    # metadata: every sequence item expanded, private creators present, no pixel data
    bad = db.one("SELECT count(*) FROM %s s WHERE s.is_sequence = %s AND s.sequence_length > 0 AND "
                 "s.sequence_length <> (SELECT count(DISTINCT c.parent_dataset_id) FROM %s c WHERE c.parent_sequence_id = s.metadata_id)"
                 % (t("dicom_file_metadata"), "true" if db.kind == "pg" else "1", t("dicom_file_metadata")))
    check(bad == 0, "dicom_file_metadata: every item of every sequence expanded")
    check(db.one("SELECT count(*) FROM %s WHERE metadata_source_tag = '(7FE0,0010)'" % t("dicom_file_metadata")) == 0,
          "no Pixel Data rows")
    check(db.one("SELECT count(DISTINCT sop_instance_id) FROM %s" % t("dicom_file_metadata")) == c["instances"],
          "metadata rows for every instance")
    check(db.one("SELECT count(*) FROM %s WHERE metadata_source_tag = '(0008,0060)' AND value_as_concept_id IS NULL"
                 % t("dicom_file_metadata")) == 0, "Modality rows carry their DICOM value concept")
    ids = db.q("SELECT image_occurrence_id FROM " + t("image_occurrence"))
    check(len(ids) == len(set(ids)), "image_occurrence ids unique")
    check(db.one("SELECT count(*) FROM " + t("cdm_source")) >= 1, "cdm_source has a row")


def load_vocab_with_snomed_sites(d, url, env):
    """vocab load, Athena's SNOMED rows for a few body parts (spec), vocab load again. Only targets
    with a concept row are mapped (a Maps to row or anatomic site without one would dangle): the
    second load adds their Maps to rows."""
    run([d, "vocab", "load", "--db", url], ok=(0,), env=env)
    db = Db(url)
    snomed = ("INSERT INTO %s VALUES (%%d, '%%s', 'Spec Anatomic Site', 'SNOMED', 'Body Structure', 'S', '%%s', "
              "'1970-01-01', '2099-12-31', NULL)" % db.t("concept"))
    for row in ((4184181, "Chest", "51185008"), (4133034, "Brain", "12738006"), (4287390, "Head", "69536005"),
                (4082516, "Hip", "24136001"), (4045660, "Lumbar spine", "122496007")):
        db.conn.cursor().execute(snomed % row)
    if db.kind == "sqlite":
        db.conn.commit()
    run([d, "vocab", "load", "--db", url], ok=(0,), env=env)
    return db


def conformance(args, url, env):
    d = args.dicometl
    arch = os.path.join(args.work, "arch")
    run([sys.executable, GEN, "--out", arch, "--patients", "4", "--seed", "11", "--junk",
         "--manifest", arch + ".json"], ok=(0,))
    manifest = creatable(json.load(open(arch + ".json")))
    db = load_vocab_with_snomed_sites(d, url, env)
    run([d, "ingest", arch, "--db", url, "--omop", "--missing-person", "create", "--visits", "-q"], env=env)
    dangling = db.one("SELECT count(*) FROM %s r WHERE NOT EXISTS (SELECT 1 FROM %s c WHERE c.concept_id = r.concept_id_2)"
                      % (db.t("concept_relationship"), db.t("concept")))
    check(dangling == 0, "no concept_relationship row points to an absent concept (%d)" % dangling)
    check(db.one("SELECT count(*) FROM %s WHERE vocabulary_id = 'DICOM'" % db.t("concept")) == 8811,
          "8,811 DICOM concepts, loaded twice")
    check(db.one("SELECT count(*) FROM %s WHERE vocabulary_id = 'DICOM' AND standard_concept IS NOT NULL" % db.t("concept")) == 0,
          "DICOM concepts not standard (NULL, not ' ')")
    check(db.one("SELECT count(*) FROM %s WHERE valid_start_date > valid_end_date" % db.t("concept_relationship")) == 0,
          "relationship validity not swapped")
    conformance_checks(db, manifest, person_zero_ok=False)
    check(db.one("SELECT count(*) FROM " + db.t("person")) == manifest["counts"]["patients"], "one person per patient")
    before = counts(db)
    run([d, "ingest", arch, "--db", url, "--omop", "--rescan", "--missing-person", "create", "--visits", "-q"], env=env)
    run([d, "omop", "--db", url, "--missing-person", "create", "--visits"], ok=(0,), env=env)
    check(counts(db) == before, "re-running ingest --omop and omop adds nothing")
    # One file named twice and inside a folder also named: the catalog writer sends batches as
    # multi-row statements, which PostgreSQL refuses when a row repeats; nothing may repeat or fail.
    folder = next(r for r, _, fs in sorted(os.walk(arch)) if any(f.endswith(".dcm") for f in fs))
    one = os.path.join(folder, sorted(f for f in os.listdir(folder) if f.endswith(".dcm"))[0])
    instances = db.one("SELECT count(*) FROM instance")
    p = run([d, "ingest", one, one, folder, "--db", url, "--rescan", "-q"], env=env)
    check(p.returncode in (0, 1), "a file named twice and inside a named folder: the run completes")
    check(db.one("SELECT count(*) FROM file WHERE path = '%s'" % one.replace("'", "''")) == 1,
          "that file has one file row")
    check(db.one("SELECT count(*) FROM instance") == instances, "and no instance was added")
    # --truncate removes DICOM rows only
    foreign = "INSERT INTO %s VALUES (9999999, 'Site concept', 'Procedure', 'SITE', 'Procedure', 'S', 'X1', '2000-01-01', '2099-12-31', NULL)" % db.t("concept")
    db.q(foreign) if db.kind == "sqlite" else db.conn.cursor().execute(foreign)
    if db.kind == "sqlite":
        db.conn.commit()
    run([d, "vocab", "load", "--db", url, "--truncate"], ok=(0,), env=env)
    check(db.one("SELECT count(*) FROM %s WHERE concept_id = 9999999" % db.t("concept")) == 1,
          "--truncate keeps other vocabularies' rows")
    check(db.one("SELECT count(*) FROM %s WHERE vocabulary_id = 'DICOM'" % db.t("concept")) == 8811,
          "--truncate then reload: 8,811 DICOM concepts")
    # the OMOP output from the catalog alone, into a fresh database, equals the single pass
    if db.kind == "sqlite":
        fresh = os.path.join(args.work, "fresh.db")
        shutil.copy(url[7:], fresh)
        f = sqlite3.connect(fresh)
        for table in ("procedure_occurrence", "image_occurrence", "radiology_image", "radiology_occurrence",
                      "dicom_file_metadata", "visit_occurrence", "person", "dicometl_omop_id"):
            f.execute("DELETE FROM " + table)
        f.commit()
        run([d, "omop", "--db", "sqlite:" + fresh, "--missing-person", "create", "--visits"], ok=(0,))
        check(counts(Db("sqlite:" + fresh)) == before, "dicometl omop from the catalog = ingest --omop rows")
        check(Db("sqlite:" + fresh).one("SELECT count(*) FROM dicom_file_metadata") ==
              db.one("SELECT count(*) FROM dicom_file_metadata"), "same metadata rows from the catalog")


OHDSI_DDL = """
CREATE SCHEMA cdm; CREATE SCHEMA vocab; CREATE SCHEMA imaging;
CREATE TABLE cdm.person (person_id integer NOT NULL, gender_concept_id integer NOT NULL, year_of_birth integer NOT NULL,
 month_of_birth integer NULL, day_of_birth integer NULL, birth_datetime TIMESTAMP NULL, race_concept_id integer NOT NULL,
 ethnicity_concept_id integer NOT NULL, location_id integer NULL, provider_id integer NULL, care_site_id integer NULL,
 person_source_value varchar(50) NULL, gender_source_value varchar(50) NULL, gender_source_concept_id integer NULL,
 race_source_value varchar(50) NULL, race_source_concept_id integer NULL, ethnicity_source_value varchar(50) NULL,
 ethnicity_source_concept_id integer NULL);
CREATE TABLE cdm.visit_occurrence (visit_occurrence_id integer NOT NULL, person_id integer NOT NULL,
 visit_concept_id integer NOT NULL, visit_start_date date NOT NULL, visit_start_datetime TIMESTAMP NULL,
 visit_end_date date NOT NULL, visit_end_datetime TIMESTAMP NULL, visit_type_concept_id Integer NOT NULL,
 provider_id integer NULL, care_site_id integer NULL, visit_source_value varchar(50) NULL,
 visit_source_concept_id integer NULL, admitted_from_concept_id integer NULL, admitted_from_source_value varchar(50) NULL,
 discharged_to_concept_id integer NULL, discharged_to_source_value varchar(50) NULL, preceding_visit_occurrence_id integer NULL);
CREATE TABLE cdm.procedure_occurrence (procedure_occurrence_id integer NOT NULL, person_id integer NOT NULL,
 procedure_concept_id integer NOT NULL, procedure_date date NOT NULL, procedure_datetime TIMESTAMP NULL,
 procedure_end_date date NULL, procedure_end_datetime TIMESTAMP NULL, procedure_type_concept_id integer NOT NULL,
 modifier_concept_id integer NULL, quantity integer NULL, provider_id integer NULL, visit_occurrence_id integer NULL,
 visit_detail_id integer NULL, procedure_source_value varchar(50) NULL, procedure_source_concept_id integer NULL,
 modifier_source_value varchar(50) NULL);
CREATE TABLE cdm.cdm_source (cdm_source_name varchar(255) NOT NULL, cdm_source_abbreviation varchar(25) NOT NULL,
 cdm_holder varchar(255) NOT NULL, source_description TEXT NULL, source_documentation_reference varchar(255) NULL,
 cdm_etl_reference varchar(255) NULL, source_release_date date NOT NULL, cdm_release_date date NOT NULL,
 cdm_version varchar(10) NULL, cdm_version_concept_id integer NOT NULL, vocabulary_version varchar(20) NOT NULL);
CREATE TABLE vocab.concept (concept_id integer NOT NULL, concept_name varchar(255) NOT NULL, domain_id varchar(20) NOT NULL,
 vocabulary_id varchar(20) NOT NULL, concept_class_id varchar(20) NOT NULL, standard_concept varchar(1) NULL,
 concept_code varchar(50) NOT NULL, valid_start_date date NOT NULL, valid_end_date date NOT NULL, invalid_reason varchar(1) NULL);
CREATE TABLE vocab.vocabulary (vocabulary_id varchar(20) NOT NULL, vocabulary_name varchar(255) NOT NULL,
 vocabulary_reference varchar(255) NULL, vocabulary_version varchar(255) NULL, vocabulary_concept_id integer NOT NULL);
CREATE TABLE vocab.domain (domain_id varchar(20) NOT NULL, domain_name varchar(255) NOT NULL, domain_concept_id integer NOT NULL);
CREATE TABLE vocab.concept_class (concept_class_id varchar(20) NOT NULL, concept_class_name varchar(255) NOT NULL,
 concept_class_concept_id integer NOT NULL);
CREATE TABLE vocab.concept_relationship (concept_id_1 integer NOT NULL, concept_id_2 integer NOT NULL,
 relationship_id varchar(20) NOT NULL, valid_start_date date NOT NULL, valid_end_date date NOT NULL, invalid_reason varchar(1) NULL);
CREATE TABLE vocab.relationship (relationship_id varchar(20) NOT NULL, relationship_name varchar(255) NOT NULL,
 is_hierarchical varchar(1) NOT NULL, defines_ancestry varchar(1) NOT NULL, reverse_relationship_id varchar(20) NOT NULL,
 relationship_concept_id integer NOT NULL);
-- a site's own rows, written by its EHR ETL
INSERT INTO cdm.person VALUES (500, 8532, 1960, NULL, NULL, NULL, 0, 0, NULL, NULL, NULL, 'EHR-77', 'F', NULL, NULL, NULL, NULL, NULL);
INSERT INTO cdm.procedure_occurrence (procedure_occurrence_id, person_id, procedure_concept_id, procedure_date, procedure_type_concept_id)
 VALUES (1000, 500, 4019823, '2015-01-01', 32817);
INSERT INTO cdm.cdm_source VALUES ('Site EHR', 'SITE', 'Hospital', NULL, NULL, NULL, '2024-01-01', '2024-01-01', 'v5.4', 756265, 'v5.0 2024');
INSERT INTO vocab.concept VALUES (4184181, 'Chest', 'Spec Anatomic Site', 'SNOMED', 'Body Structure', 'S', '51185008', '1970-01-01', '2099-12-31', NULL);
CREATE TABLE imaging.mappingtable (source_person_id integer, source_patient_id varchar(64));
"""


def columns_of(db):
    return db.q("SELECT table_schema, table_name, column_name, data_type, character_maximum_length, is_nullable "
                "FROM information_schema.columns WHERE table_schema IN ('cdm', 'vocab') ORDER BY 1, 2, 3")


def ohdsi(args, url, env):
    d = args.dicometl
    arch = os.path.join(args.work, "arch")
    run([sys.executable, GEN, "--out", arch, "--patients", "3", "--seed", "12", "--manifest", arch + ".json"], ok=(0,))
    manifest = json.load(open(arch + ".json"))
    db = Db(url, {"cdm": "cdm", "vocab": "vocab", "imaging": "imaging"})
    db.conn.cursor().execute(OHDSI_DDL)
    patients = sorted({i["patient_id"] for i in manifest["instances"]})
    # the d2e mapping table maps the first patient (in another letter case) to the site's person 500
    db.conn.cursor().execute("INSERT INTO imaging.mappingtable VALUES (500, %s)", (patients[0].lower(),))
    before = columns_of(db)
    job = {"options": {"flow_action_type": "load_vocab", "database_code": "alpdev_pg",
                       "medical_imaging_schema_name": "imaging", "cdm_schema_name": "cdm", "vocab_schema_name": "vocab",
                       "dicom_files_abs_path": arch, "to_truncate": False, "upload_files": False,
                       "missing_person_id_options": "use_id_zero",
                       "PersonPatientMapping": {"schema_name": "imaging", "table_name": "mappingtable",
                                                "person_id_column_name": "source_person_id",
                                                "patient_id_column_name": "source_patient_id"}}}
    jf = os.path.join(args.work, "vocab.json")
    json.dump(job, open(jf, "w"))
    run([d, "run", jf, "--db", url], ok=(0,), env=env)
    # the ingest job exactly as the plugin's README writes it (Python literals, bare keys)
    jf2 = os.path.join(args.work, "ingest.json")
    open(jf2, "w").write("""{
  "options": {
    "flow_action_type": "ingest_metadata",
    "database_code": "alpdev_pg",
    "medical_imaging_schema_name": "imaging",
    "cdm_schema_name": "cdm",
    "vocab_schema_name": "vocab",
    "dicom_files_abs_path": "%s",
    "to_truncate": False,
    "upload_files": False,
    "missing_person_id_options": "use_id_zero",
    "PersonPatientMapping": {
      schema_name: "imaging",
      table_name: "mappingtable",
      person_id_column_name: "source_person_id",
      patient_id_column_name: "source_patient_id"
    }
  }
}""" % arch)
    run([d, "run", jf2, "--db", url], env=env)
    check(columns_of(db) == before, "OHDSI CDM tables unchanged (no ALTER, no new columns)")
    check(db.one("SELECT count(*) FROM information_schema.tables WHERE table_schema IN ('cdm','vocab') "
                 "AND table_name NOT IN ('person','visit_occurrence','procedure_occurrence','cdm_source','concept',"
                 "'vocabulary','domain','concept_class','concept_relationship','relationship')") == 0,
          "no tables added to the CDM and vocabulary schemas")
    check(db.one("SELECT count(*) FROM cdm.procedure_occurrence WHERE procedure_occurrence_id = 1000") == 1,
          "the site's procedure row is kept")
    check(db.one("SELECT min(procedure_occurrence_id) FROM cdm.procedure_occurrence WHERE procedure_occurrence_id <> 1000") > 1000,
          "new procedure ids above the site's")
    check(db.q("SELECT cdm_source_name FROM cdm.cdm_source") == [("Site EHR",)], "the site's cdm_source row alone, unchanged")
    first_studies = {i["study_instance_uid"] for i in manifest["instances"] if i["patient_id"] == patients[0]}
    check(db.one("SELECT count(*) FROM cdm.procedure_occurrence WHERE person_id = 500") == len(first_studies) + 1,
          "mapped patient's studies go to person 500 (case-insensitive)")
    check(db.one("SELECT count(*) FROM cdm.procedure_occurrence WHERE person_id = 0") ==
          manifest["counts"]["studies"] - len(first_studies), "unmapped patients: person 0 (use_id_zero)")
    chest = db.one("SELECT count(*) FROM imaging.image_occurrence WHERE anatomic_site_concept_id = 4184181")
    want = len({i["series_instance_uid"] for i in manifest["instances"] if i["body_part_examined"] == "CHEST"})
    check(chest == want, "CHEST series → SNOMED 4184181 (%d)" % want)
    db.s = {"cdm": "cdm", "vocab": "vocab", "imaging": "imaging"}
    # counts: the site's extra procedure row is not ours
    check(db.one("SELECT count(*) FROM imaging.image_occurrence") == manifest["counts"]["series"], "series = image_occurrence")
    n = db.one("SELECT count(*) FROM cdm.procedure_occurrence")
    run([d, "run", jf2, "--db", url], env=env)
    check(db.one("SELECT count(*) FROM cdm.procedure_occurrence") == n, "re-running the job adds nothing")
    # the skip policy records why
    run([d, "omop", "--db", url, "--cdm-schema", "cdm", "--vocab-schema", "vocab", "--imaging-schema", "imaging"], ok=(0,), env=env)
    # A bulk load the server refuses (here a site's CHECK on dicom_file_metadata) stops the run with
    # the table named, and leaves nothing half-written: COPY results arrive after the rows are
    # sent, so this is where a late error would be lost.
    cur = db.conn.cursor()
    cur.execute("CREATE SCHEMA imaging_strict")
    cur.execute("CREATE TABLE imaging_strict.dicom_file_metadata (LIKE imaging.dicom_file_metadata INCLUDING ALL)")
    cur.execute("ALTER TABLE imaging_strict.dicom_file_metadata ADD CONSTRAINT site_rule CHECK (metadata_id < 0)")
    n_proc = db.one("SELECT count(*) FROM cdm.procedure_occurrence")
    p = run([d, "omop", "--db", url, "--cdm-schema", "cdm", "--vocab-schema", "vocab", "--imaging-schema",
             "imaging_strict", "--missing-person", "zero"], ok=(1, 2, 3), env=env)
    check("dicom_file_metadata" in p.stderr and "check constraint" in p.stderr,
          "a refused COPY stops the run and names the table and the reason")
    uids = {i["sop_instance_uid"] for i in manifest["instances"]} | {i["patient_id"] for i in manifest["instances"]}
    check(not any(u in p.stderr for u in uids), "the error quotes no row values (no UIDs, no patient IDs)")
    check(db.one("SELECT count(*) FROM imaging_strict.dicom_file_metadata") == 0 and
          db.one("SELECT count(*) FROM imaging_strict.radiology_image") == 0 and
          db.one("SELECT count(*) FROM imaging_strict.dicometl_omop_id") == 0 and
          db.one("SELECT count(*) FROM cdm.procedure_occurrence") == n_proc,
          "nothing of the refused load is committed")


def concurrent(args, url, env):
    d = args.dicometl
    arch = os.path.join(args.work, "arch")
    run([sys.executable, GEN, "--out", arch, "--patients", "6", "--seed", "13", "--manifest", arch + ".json"], ok=(0,))
    manifest = json.load(open(arch + ".json"))
    tops = sorted(os.listdir(arch))
    a = [os.path.join(arch, p) for p in tops[: len(tops) * 2 // 3]]
    b = [os.path.join(arch, p) for p in tops[len(tops) // 3:]]
    load_vocab_with_snomed_sites(d, url, env)
    common = ["--db", url, "--omop", "--missing-person", "create", "--visits", "-q", "--batch", "5", "-j", "1"]
    procs = [subprocess.Popen([d, "ingest"] + roots + common, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for roots in (a, b)]
    outs = [p.communicate(timeout=300) for p in procs]
    for p, (o, e) in zip(procs, outs):
        sys.stdout.write(o + e)
        check(p.returncode == 0, "concurrent ingest finished (exit %d, no deadlock)" % p.returncode)
    db = Db(url)
    full = manifest
    manifest = creatable(manifest)
    skipped = full["counts"]["studies"] - manifest["counts"]["studies"]
    check(db.one("SELECT count(*) FROM %s WHERE kind = 'study'" % db.t("dicometl_omop_skip")) == skipped,
          "%d studies without birth date or age recorded as skipped" % skipped)
    reasons = {r[0] for r in db.q("SELECT DISTINCT reason FROM %s WHERE kind = 'study'" % db.t("dicometl_omop_skip"))}
    check(reasons == ({"no PatientBirthDate or PatientAge to create a person"} if skipped else set()),
          "each skip says why: %s" % sorted(reasons))
    conformance_checks(db, manifest, person_zero_ok=False)
    for table, col, key in [("procedure_occurrence", "procedure_occurrence_id", None),
                            ("image_occurrence", "image_occurrence_id", "image_series_uid"),
                            ("radiology_image", "image_id", "image_filepath"), ("person", "person_id", "person_source_value"),
                            ("dicom_file_metadata", "metadata_id", None)]:
        check(db.one("SELECT count(*) - count(DISTINCT %s) FROM %s" % (col, db.t(table))) == 0, "%s ids unique" % table)
        if key:
            check(db.one("SELECT count(*) - count(DISTINCT %s) FROM %s" % (key, db.t(table))) == 0, "%s: no duplicates" % table)
    check(db.one("SELECT count(*) FROM (SELECT sop_instance_id, metadata_source_tag, parent_sequence_id, parent_dataset_id "
                 "FROM %s WHERE parent_sequence_id IS NULL GROUP BY 1, 2, 3, 4 HAVING count(*) > 1) x" % db.t("dicom_file_metadata")) == 0,
          "dicom_file_metadata: no duplicated top-level elements")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dicometl", required=True)
    ap.add_argument("--backend", choices=["sqlite", "postgres"], required=True)
    ap.add_argument("--case", choices=["conformance", "ohdsi", "concurrent"], default="conformance")
    args = ap.parse_args()
    args.work = tempfile.mkdtemp(prefix="dicometl-omop-")
    os.chmod(args.work, 0o755)
    pgdir = os.path.join(args.work, "pg")
    env = dict(os.environ)
    try:
        if args.backend == "sqlite":
            url = "sqlite:" + os.path.join(args.work, "omop.db")
        else:
            url = start_postgres(pgdir)
        {"conformance": conformance, "ohdsi": ohdsi, "concurrent": concurrent}[args.case](args, url, env)
    finally:
        cleanup(args.work, pgdir if args.backend == "postgres" else None)
    report()


def start_postgres(pgdir):
    """A throwaway PostgreSQL (tests/support/pg_server.sh) in `pgdir`: the conninfo of a new database."""
    subprocess.run([PG_SERVER, "start", pgdir], check=True, stdout=subprocess.PIPE, text=True)
    return subprocess.run([PG_SERVER, "createdb", pgdir, "omop"], check=True, stdout=subprocess.PIPE,
                          text=True).stdout.strip()


def cleanup(work, pgdir):
    """Stops the server (if any) and removes the work folder."""
    if pgdir:
        subprocess.run([PG_SERVER, "stop", pgdir])
    shutil.rmtree(work, ignore_errors=True)


def report():
    """Exits 1 when a check failed (reached only when the case itself did not raise)."""
    print("%d failure(s)" % len(failures))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
