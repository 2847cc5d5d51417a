// FHIR mapping pieces: dates and zones, Annex L and laterality, ids, names, one ImagingStudy.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "dicometl/fhir/datetime.hpp"
#include "dicometl/fhir/dicom_json_fields.hpp"
#include "dicometl/fhir/hash_id.hpp"
#include "dicometl/fhir/outputs.hpp"
#include "dicometl/fhir/resources.hpp"
#include "dicometl/fhir/terminology.hpp"

namespace dicometl::fhir {
namespace {

TEST(FhirDateTime, DatesAndTimes) {
  EXPECT_EQ(fhir_date("20240229").value(), "2024-02-29");
  EXPECT_EQ(fhir_date("1999.12.31").value(), "1999-12-31");
  EXPECT_FALSE(fhir_date("20230229"));
  EXPECT_FALSE(fhir_date("2023"));
  EXPECT_EQ(fhir_time("0930").value(), "09:30:00");
  EXPECT_EQ(fhir_time("101112.123456").value(), "10:11:12.123456");
  EXPECT_EQ(fhir_time("10:11:12").value(), "10:11:12");
  EXPECT_FALSE(fhir_time("2460"));
  EXPECT_EQ(fhir_offset("+0530").value(), "+05:30");
  EXPECT_FALSE(fhir_offset("+1500"));
}

TEST(FhirDateTime, ZoneChoice) {
  const ZoneSetting none;
  bool dropped = false;
  // A time needs a zone in R4: without one only the date is kept.
  EXPECT_EQ(fhir_datetime("20200115", "0930", "", none, &dropped).value(), "2020-01-15");
  EXPECT_TRUE(dropped);
  EXPECT_EQ(fhir_datetime("20200115", "0930", "-0400", none).value(), "2020-01-15T09:30:00-04:00");
  const auto fixed = parse_zone_setting("+01:00").value();
  EXPECT_EQ(fhir_datetime("20200115", "0930", "", fixed).value(), "2020-01-15T09:30:00+01:00");
  // The file's own offset wins over the configured zone.
  EXPECT_EQ(fhir_datetime("20200115", "0930", "+0200", fixed).value(), "2020-01-15T09:30:00+02:00");
  const auto berlin = parse_zone_setting("Europe/Berlin").value();
  EXPECT_EQ(fhir_datetime("20200715", "1200", "", berlin).value(), "2020-07-15T12:00:00+02:00");
  EXPECT_FALSE(parse_zone_setting("Not/AZone"));
  EXPECT_FALSE(parse_zone_setting("../../etc/passwd"));
}

TEST(FhirTerminology, AnnexLAndLaterality) {
  const auto head = body_site("head").value();
  EXPECT_EQ(head.system, kSnomed);
  EXPECT_EQ(head.code, "69536005");
  const auto unknown = body_site("NOTAPART").value();
  EXPECT_TRUE(unknown.system.empty());  // never invent a system
  EXPECT_EQ(unknown.code, "NOTAPART");
  EXPECT_FALSE(body_site(""));
  EXPECT_EQ(laterality("R").value().code, "24028007");
  EXPECT_FALSE(laterality("X"));
  EXPECT_EQ(coding_system("LN"), "http://loinc.org");
  EXPECT_EQ(coding_system("99LOCAL"), "");
}

TEST(FhirIds, Deterministic) {
  // sha256("abc"), FIPS 180-2 test vector.
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(identifier_id("s", "v"), sha256_hex("s|v"));
  EXPECT_EQ(uuid_urn(sha256_hex("abc")), "urn:uuid:ba7816bf-8f01-5fea-8141-40de5dae2223");
}

InstanceRecord ct_instance() {
  InstanceRecord i;
  i.sop_instance_uid = "1.2.3.4.5";
  i.sop_class_uid = "1.2.840.10008.5.1.4.1.1.2";
  i.number = 1;
  i.title = i.image_type = "ORIGINAL";
  return i;
}

TEST(FhirResources, NameAndStudy) {
  const auto n = human_name("Doe^John^Q^Dr^Jr=ドウ^ジョン").value();
  EXPECT_EQ(n["family"], "Doe");
  EXPECT_EQ(n["given"].size(), 2u);
  EXPECT_EQ(n["suffix"][0], "Jr");

  StudyRecord r;
  r.uid = "1.2.3";
  r.patient_id = "P1";
  SeriesRecord s;
  s.uid = "1.2.3.4";
  s.modality = "";  // series.modality is 1..1: OT
  s.instances.push_back(ct_instance());
  r.series.push_back(s);
  MappingOptions o;
  const auto res = build_resources(r, o);
  ASSERT_TRUE(res.study);
  const auto& st = *res.study;
  EXPECT_EQ(st["id"], sha256_hex("urn:dicom:uid|1.2.3"));
  EXPECT_EQ(st["series"][0]["modality"]["code"], "OT");
  EXPECT_EQ(st["numberOfInstances"], 1);
  EXPECT_EQ(res.notes.devices_without_serial, 1u);

  StudyRecord empty;  // neither AccessionNumber nor StudyInstanceUID: reported, not converted
  const auto none = build_resources(empty, o);
  EXPECT_FALSE(none.study);
  EXPECT_FALSE(none.reason.empty());
}

StudyRecord study_with_links() {
  StudyRecord r;
  r.uid = "1.2.3";
  r.patient_id = "P1";
  r.admission_id = "ADM-1";
  SeriesRecord s;
  s.uid = "1.2.3.4";
  s.modality = "CT";
  s.manufacturer = "ACME";
  s.serial_number = "SN-1";
  s.instances.push_back(ct_instance());
  r.series.push_back(s);
  return r;
}

TEST(FhirReferences, LogicalUnlessTheTargetIsWritten) {
  MappingOptions o;
  const auto res = build_resources(study_with_links(), o);
  const auto& st = *res.study;
  EXPECT_FALSE(st["subject"].contains("reference"));
  EXPECT_EQ(st["subject"]["identifier"]["value"], "P1");
  EXPECT_FALSE(st["encounter"].contains("reference"));
  EXPECT_EQ(st["encounter"]["identifier"]["value"], "ADM-1");
  EXPECT_FALSE(st["series"][0]["performer"][0]["actor"].contains("reference"));
  EXPECT_FALSE(res.patient || res.encounter || !res.devices.empty());
}

TEST(FhirReferences, BundleEntriesHaveFullUrlsAndReferencesUseThem) {
  MappingOptions o;
  o.patients = o.devices = o.encounters = true;
  const auto res = build_resources(study_with_links(), o);
  ASSERT_TRUE(res.patient && res.encounter && res.devices.size() == 1);
  for (bool transaction : {false, true}) {
    const auto b = make_bundle(res, transaction);
    std::map<std::string, std::string> url_of;  // resourceType → fullUrl
    for (const auto& e : b["entry"]) {
      const std::string url = e.value("fullUrl", "");
      EXPECT_EQ(url.rfind("urn:uuid:", 0), 0u) << url;
      url_of[e["resource"]["resourceType"]] = url;
    }
    ASSERT_EQ(url_of.size(), 4u);
    EXPECT_EQ(std::set<std::string>({url_of["Patient"], url_of["Encounter"], url_of["Device"],
                                     url_of["ImagingStudy"]})
                  .size(),
              4u);
    const auto& st = b["entry"].back()["resource"];
    EXPECT_EQ(st["subject"]["reference"], url_of["Patient"]);
    EXPECT_EQ(st["encounter"]["reference"], url_of["Encounter"]);
    EXPECT_EQ(st["series"][0]["performer"][0]["actor"]["reference"], url_of["Device"]);
    EXPECT_EQ(b["entry"][1]["resource"]["subject"]["reference"], url_of["Patient"]);
    // The resources themselves keep relative references (files, NDJSON).
    EXPECT_EQ((*res.study)["subject"]["reference"],
              "Patient/" + (*res.patient)["id"].get<std::string>());
  }
}

TEST(FhirDicomJson, AcquisitionValues) {
  // DS may be a JSON number or, when not a strict JSON number, the file's text (PS3.18 F.2.3).
  const char* ds = R"({
    "00180060": {"vr": "DS", "Value": ["+120.5 "]},
    "00189345": {"vr": "FD", "Value": [12.5]},
    "00180087": {"vr": "DS", "Value": [1.5]},
    "00181150": {"vr": "IS", "Value": ["abc"]},
    "00180020": {"vr": "CS", "Value": ["SE", "IR"]},
    "00180010": {"vr": "LO"},
    "00540016": {"vr": "SQ", "Value": [{
      "00180031": {"vr": "LO", "Value": ["FDG"]},
      "00181074": {"vr": "DS", "Value": [370000000]},
      "00540304": {"vr": "SQ", "Value": [{"00080100": {"vr": "SH", "Value": ["35321007"]},
                                          "00080102": {"vr": "SH", "Value": ["SCT"]}}]}}]}
  })";
  SeriesRecord s;
  read_series_extras(ds, s);
  const auto& a = s.acquisition;
  EXPECT_EQ(a.kvp, 120.5);
  EXPECT_EQ(a.ctdi_vol_mgy, 12.5);
  EXPECT_EQ(a.field_strength_t, 1.5);
  EXPECT_FALSE(a.exposure_time_ms);  // not a number: left out, not 0
  EXPECT_FALSE(a.tube_current_ma);
  EXPECT_EQ(a.scanning_sequence, "SE\\IR");
  EXPECT_TRUE(a.contrast_agent_present);  // present but empty (Type 2)
  EXPECT_EQ(a.radiopharmaceutical, "FDG");
  EXPECT_EQ(a.radionuclide_total_dose, 370000000.0);
  ASSERT_EQ(a.radiopharmaceutical_codes.size(), 1u);
  EXPECT_EQ(a.radiopharmaceutical_codes[0].value, "35321007");
  EXPECT_TRUE(a.radionuclide_codes.empty());
}

}  // namespace
}  // namespace dicometl::fhir
