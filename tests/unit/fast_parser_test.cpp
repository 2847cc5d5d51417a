// The fast parser must produce exactly what the DCMTK path produces, on real files written by
// others (Debian's pydicom corpus: every transfer syntax, charsets, SR, RT, private tags).
#include "dicometl/dicom/fast_parser.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "dicometl/catalog/dicom_json.hpp"
#include "dicometl/dicom/header_reader.hpp"
#include "missing_dependency.hpp"
#include "part10_bytes.hpp"

namespace fs = std::filesystem;
using namespace dicometl;

namespace {

const char* kCorpora[] = {"/usr/lib/python3/dist-packages/pydicom/data/test_files",
                          "/usr/lib/python3/dist-packages/pydicom/data/charset_files"};

FileStat stat_of(const fs::path& p) {
  struct stat st {};
  ::stat(p.c_str(), &st);
  return {p.string(), static_cast<std::uint64_t>(st.st_size), 0};
}

// Whether the fast parser handles a file, decided from the file itself: Part 10 ('DICM' at byte
// 128) in a little-endian syntax (explicit, implicit, encapsulated) or deflated. `ts` is the
// transfer syntax as DCMTK read it. Big endian and files without a meta header are DCMTK's.
bool fast_parser_supports(const fs::path& p, const std::string& ts) {
  std::ifstream in(p, std::ios::binary);
  char head[132] = {};
  const bool part10 = in.read(head, sizeof head) && std::string_view(head + 128, 4) == "DICM";
  return part10 && ts.rfind("1.2.840.10008.1.2", 0) == 0 && ts != "1.2.840.10008.1.2.2";
}

// Debian's python3-pydicom 2.3 corpus, instances per parser: every supported file is read by the
// fast parser (deflated ones included); DCMTK reads the explicit big endian files and those
// without a meta header or without a transfer syntax in it.
constexpr int kExpectedFast = 147;
constexpr int kExpectedDcmtk = 9;

std::string describe(const ReadOutcome& r) {
  // With the path: bulk values must be found at the same place by both readers.
  if (const auto* i = std::get_if<Instance>(&r)) return to_dicom_json(i->dataset, i->file.path);
  const auto& rej = std::get<Reject>(r);
  return std::string("reject:") + to_string(rej.kind);
}

// Writes `bytes` to a temporary file and reads it with the fast parser, then with DCMTK.
std::vector<ReadOutcome> read_both(const std::string& name, const std::string& bytes) {
  const fs::path path =
      fs::temp_directory_path() / ("dicometl-" + name + "-" + std::to_string(::getpid()) + ".dcm");
  std::ofstream(path, std::ios::binary) << bytes;
  std::vector<ReadOutcome> out;
  for (const bool force_dcmtk : {false, true}) {
    dicom::ReadOptions options;
    options.force_dcmtk = force_dcmtk;
    out.push_back(dicom::read_header(stat_of(path), options));
  }
  fs::remove(path);
  return out;
}

// read_both's instances, each from the reader it names; a reject fails the test and is left out.
std::vector<Instance> read_both_instances(const std::string& name, const std::string& bytes) {
  std::vector<Instance> out;
  for (ReadOutcome& r : read_both(name, bytes)) {
    const HeaderParser want = out.empty() ? HeaderParser::kFast : HeaderParser::kDcmtk;
    if (auto* inst = std::get_if<Instance>(&r); inst && inst->parser == want)
      out.push_back(std::move(*inst));
    else
      ADD_FAILURE() << name << ": not an instance from the expected reader: " << describe(r);
  }
  return out;
}

const char* reader_name(const Instance& inst) {
  return inst.parser == HeaderParser::kDcmtk ? "DCMTK" : "fast parser";
}

}  // namespace

TEST(FastParser, AgreesWithDcmtkOnPydicomCorpus) {
  dicom::initialise();
  int compared = 0, fast_instances = 0, read_fast = 0, read_dcmtk = 0;
  for (const char* corpus : kCorpora) {
    if (!fs::exists(corpus)) DICOMETL_MISSING_DEPENDENCY("python3-pydicom is not installed");
    for (const auto& entry : fs::recursive_directory_iterator(corpus)) {
      if (!entry.is_regular_file()) continue;
      const FileStat f = stat_of(entry.path());
      dicom::ReadOptions slow;
      slow.force_dcmtk = true;
      const ReadOutcome a = dicom::read_header(f, {});
      const ReadOutcome b = dicom::read_header(f, slow);
      const bool both_instances =
          std::holds_alternative<Instance>(a) && std::holds_alternative<Instance>(b);
      if (both_instances) {
        ++fast_instances;
        // Which parser read the file: the comparison below is only worth something if the fast
        // parser did read the files it supports.
        const bool expect_fast =
            fast_parser_supports(entry.path(), std::get<Instance>(b).transfer_syntax_uid);
        const HeaderParser got = std::get<Instance>(a).parser;
        EXPECT_EQ(got, expect_fast ? HeaderParser::kFast : HeaderParser::kDcmtk)
            << f.path << " (" << std::get<Instance>(b).transfer_syntax_uid << ")";
        EXPECT_EQ(std::get<Instance>(b).parser, HeaderParser::kDcmtk) << f.path;
        ++(got == HeaderParser::kFast ? read_fast : read_dcmtk);
        EXPECT_EQ(std::get<Instance>(a).transfer_syntax_uid,
                  std::get<Instance>(b).transfer_syntax_uid)
            << f.path;
        EXPECT_EQ(describe(a), describe(b)) << f.path;
      } else if (std::holds_alternative<Reject>(a) && std::holds_alternative<Reject>(b)) {
        EXPECT_EQ(std::get<Reject>(a).kind, std::get<Reject>(b).kind) << f.path;
      } else {
        ADD_FAILURE() << f.path << ": fast=" << describe(a).substr(0, 80)
                      << " dcmtk=" << describe(b).substr(0, 80);
      }
      ++compared;
    }
  }
  EXPECT_GT(compared, 80);
  EXPECT_GT(fast_instances, 60);
  EXPECT_EQ(read_fast, kExpectedFast);
  EXPECT_EQ(read_dcmtk, kExpectedDcmtk);
}

// Issue 14 item 1: a PACS re-encodes elements it does not know as UN. A known tag stored as UN
// reads by the dictionary's VR in both parsers: the UIDs are found (the file used to be rejected
// "no SOP Instance UID"), a private creator is LO and still names its block's elements.
TEST(FastParser, UnknownVrOfKnownTagReadsByDictionaryVr) {
  dicom::initialise();
  using test::element;
  const std::string ds =
      element(8, 0x16, "UI", "1.2.840.10008.5.1.4.1.1.7") +
      element(8, 0x18, "UN", std::string("2.25.1234\0", 10)) + element(9, 0x10, "UN", "ACME") +
      element(9, 0x1001, "LO", "private value") + element(0x10, 0x20, "LO", "P1") +
      element(0x20, 0xD, "UN", "2.25.66") + element(0x20, 0xE, "UN", "2.25.77") +
      element(0x28, 0x10, "UN", std::string("\x00\x02", 2));
  const auto outcomes = read_both("un", test::part10("1.2.840.10008.1.2.1", ds));
  for (const bool force_dcmtk : {false, true}) {
    SCOPED_TRACE(force_dcmtk ? "DCMTK" : "fast parser");
    const ReadOutcome& r = outcomes[force_dcmtk];
    ASSERT_TRUE(std::holds_alternative<Instance>(r)) << describe(r);
    const Instance& inst = std::get<Instance>(r);
    EXPECT_EQ(inst.parser, force_dcmtk ? HeaderParser::kDcmtk : HeaderParser::kFast);
    const std::string json = to_dicom_json(inst.dataset);
    EXPECT_NE(json.find(R"("00080018":{"vr":"UI","Value":["2.25.1234"]})"), std::string::npos)
        << json;
    EXPECT_NE(json.find(R"("0020000D":{"vr":"UI","Value":["2.25.66"]})"), std::string::npos);
    EXPECT_NE(json.find(R"("0020000E":{"vr":"UI","Value":["2.25.77"]})"), std::string::npos);
    EXPECT_NE(json.find(R"("00090010":{"vr":"LO","Value":["ACME"]})"), std::string::npos);
    EXPECT_NE(json.find(R"("00280010":{"vr":"US","Value":[512]})"), std::string::npos);
    bool found_private = false;
    for (const auto& e : inst.dataset.elements) {
      if (e.tag != make_tag(9, 0x1001)) continue;
      found_private = true;
      EXPECT_EQ(e.private_creator, "ACME");
    }
    EXPECT_TRUE(found_private);
  }
}

// Issue 14 item 2: an implicit VR dataset under an explicit VR syntax (as highdicom wrote
// pydicom's SC_rgb_jpeg.dcm) used to be rejected as corrupt; both parsers read it as implicit, and
// the fast parser says so in Instance::warning.
TEST(FastParser, ImplicitDatasetUnderExplicitSyntaxIsReadWithWarning) {
  dicom::initialise();
  // Implicit VR little endian elements (PS3.5 7.1.3): tag, 4-byte length, value.
  auto implicit = [](std::uint16_t group, std::uint16_t elem, std::string value) {
    if (value.size() % 2) value += '\0';
    std::string out(8, '\0');
    const std::uint32_t len = static_cast<std::uint32_t>(value.size());
    const unsigned char h[8] = {
        static_cast<unsigned char>(group),     static_cast<unsigned char>(group >> 8),
        static_cast<unsigned char>(elem),      static_cast<unsigned char>(elem >> 8),
        static_cast<unsigned char>(len),       static_cast<unsigned char>(len >> 8),
        static_cast<unsigned char>(len >> 16), static_cast<unsigned char>(len >> 24)};
    out.assign(reinterpret_cast<const char*>(h), 8);
    return out + value;
  };
  const std::string ds = implicit(8, 0x16, "1.2.840.10008.5.1.4.1.1.7") +
                         implicit(8, 0x18, "2.25.4321") + implicit(0x10, 0x20, "P2") +
                         implicit(0x20, 0xD, "2.25.88") + implicit(0x20, 0xE, "2.25.99") +
                         implicit(0x28, 0x10, std::string("\x00\x02", 2));
  const auto outcomes = read_both("implicit", test::part10("1.2.840.10008.1.2.1", ds));
  for (const bool force_dcmtk : {false, true}) {
    SCOPED_TRACE(force_dcmtk ? "DCMTK" : "fast parser");
    const ReadOutcome& r = outcomes[force_dcmtk];
    ASSERT_TRUE(std::holds_alternative<Instance>(r)) << describe(r);
    const Instance& inst = std::get<Instance>(r);
    EXPECT_EQ(inst.sop_instance_uid, "2.25.4321");
    EXPECT_EQ(inst.series_instance_uid, "2.25.99");
    EXPECT_EQ(inst.rows, 512);
    if (!force_dcmtk) {
      EXPECT_EQ(inst.parser, HeaderParser::kFast);
      EXPECT_EQ(inst.warning, dicom::kImplicitUnderExplicitWarning);
    }
  }
}

// Issue 14 item 7: a meta header without Transfer Syntax UID was said to be missing altogether.
TEST(FastParser, MetaHeaderWithoutTransferSyntaxSaysSo) {
  dicom::initialise();
  std::string bytes =
      test::part10("1.2.840.10008.1.2.1", test::element(8, 0x18, "UI", "2.25.5") +
                                              test::element(0x20, 0xD, "UI", "2.25.6"));
  // Drop (0002,0010) from the meta header, keeping the group length right.
  const std::string ts = test::element(2, 0x10, "UI", "1.2.840.10008.1.2.1");
  bytes.erase(bytes.find(ts), ts.size());
  const std::uint32_t group_len =
      static_cast<std::uint8_t>(bytes[140]) - static_cast<std::uint32_t>(ts.size());
  bytes[140] = static_cast<char>(group_len);
  for (const ReadOutcome& r : read_both("nots", bytes)) {
    ASSERT_TRUE(std::holds_alternative<Reject>(r)) << describe(r);
    EXPECT_EQ(std::get<Reject>(r).reason,
              "file meta information has no Transfer Syntax UID (0002,0010)");
  }
}

// Issue 14 items 3 and 4: both readers read Shift-JIS under ISO_IR 13 as the other toolkits do,
// keep every value valid UTF-8 (a default-repertoire VR holding a surrogate, a charset VR holding
// a byte its set lacks) and say so in the instance's warning, the same words from either reader.
TEST(FastParser, TextProblemsAreRepairedAndReportedByBothReaders) {
  dicom::initialise();
  using test::element;
  const std::string ds =
      element(8, 5, "CS", "ISO_IR 13") + element(8, 8, "CS", "ORIGINAL\\X\xED\xA0\x80Y") +
      element(8, 0x16, "UI", "1.2.840.10008.5.1.4.1.1.7") + element(8, 0x18, "UI", "2.25.31") +
      element(8, 0x1030, "LO",
              "A\x80"
              "B") +
      element(0x10, 0x10, "PN",
              "Test-\x84"
              "D\x83\xa6\xc8") +
      element(0x10, 0x20, "LO", "P3") + element(0x20, 0xD, "UI", "2.25.32") +
      element(0x20, 0xE, "UI", "2.25.33");
  for (const Instance& inst :
       read_both_instances("text", test::part10("1.2.840.10008.1.2.1", ds))) {
    SCOPED_TRACE(reader_name(inst));
    EXPECT_EQ(inst.patient_name, "Test-ДΘﾈ");
    EXPECT_EQ(inst.image_type, "ORIGINAL\\X\uFFFD\uFFFD\uFFFDY");
    EXPECT_EQ(inst.study_description, "A\uFFFDB");
    EXPECT_EQ(inst.warning,
              "1 text value held bytes their character set does not define: replaced by U+FFFD; "
              "1 text value declared ISO_IR 13 (JIS X 0201) held Shift-JIS double-byte "
              "characters: read as Shift-JIS, as pydicom, DCMTK and Orthanc do; 1 text value of a "
              "default-repertoire VR (AE, AS, CS, DA, DS, DT, IS, TM, UI, UR) held bytes that are "
              "not UTF-8: replaced by U+FFFD");
  }
}

// Issue 14 item 5: both readers record where a bulk value starts in the file (the fast parser
// from its position, DCMTK from the stream it left the value in), so DICOM JSON can name it.
TEST(FastParser, BulkValuesKeepTheirPlaceInTheFile) {
  dicom::initialise();
  using test::element;
  std::string big_binary(2000, '\0'), big_text(70000, 'x'), small_binary(100, '\0');
  for (std::size_t i = 0; i < big_binary.size(); ++i) big_binary[i] = static_cast<char>(i * 7);
  for (std::size_t i = 0; i < small_binary.size(); ++i) small_binary[i] = static_cast<char>(i);
  big_text[0] = 'T';
  const std::string ds = element(8, 0x16, "UI", "1.2.840.10008.5.1.4.1.1.7") +
                         element(8, 0x18, "UI", "2.25.41") + element(9, 0x10, "LO", "ACME") +
                         element(9, 0x1001, "OB", big_binary) +
                         element(9, 0x1002, "OB", small_binary) + element(0x10, 0x20, "LO", "P4") +
                         element(0x20, 0xD, "UI", "2.25.42") + element(0x20, 0xE, "UI", "2.25.43") +
                         element(0x20, 0x4000, "UT", big_text);
  const std::string bytes = test::part10("1.2.840.10008.1.2.1", ds);
  // Where the values are, found in the bytes written, not by the code under test.
  const std::uint64_t binary_at = bytes.find(big_binary), text_at = bytes.find(big_text);
  const std::vector<Instance> read = read_both_instances("bulk", bytes);
  EXPECT_EQ(read.size(), 2u);
  for (const Instance& inst : read) {
    SCOPED_TRACE(reader_name(inst));
    const Element* binary = inst.dataset.find(make_tag(9, 0x1001));
    const Element* text = inst.dataset.find(make_tag(0x20, 0x4000));
    ASSERT_TRUE(binary && text);
    EXPECT_TRUE(binary->bulk);
    EXPECT_EQ(binary->offset, binary_at);
    EXPECT_EQ(binary->length, 2000u);
    EXPECT_TRUE(text->bulk);
    EXPECT_EQ(text->offset, text_at);
    const auto json = nlohmann::json::parse(to_dicom_json(inst.dataset, inst.file.path));
    EXPECT_EQ(json["00091001"]["BulkDataURI"],
              "file://" + inst.file.path + "?offset=" + std::to_string(binary_at) + "&length=2000");
    EXPECT_EQ(json["00204000"]["BulkDataURI"],
              "file://" + inst.file.path + "?offset=" + std::to_string(text_at) + "&length=70000");
    EXPECT_TRUE(json["00091002"].contains("InlineBinary"));  // up to 1 KiB: inline
    EXPECT_EQ(json["00100020"]["Value"][0], "P4");           // read after the bulk values
  }
}
