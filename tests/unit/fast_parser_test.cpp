// The fast parser must produce exactly what the DCMTK path produces, on real files written by
// others (Debian's pydicom corpus: every transfer syntax, charsets, SR, RT, private tags).
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "dicometl/catalog/dicom_json.hpp"
#include "dicometl/dicom/header_reader.hpp"
#include "missing_dependency.hpp"

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
constexpr int kExpectedFast = 144;
constexpr int kExpectedDcmtk = 9;

std::string describe(const ReadOutcome& r) {
  if (const auto* i = std::get_if<Instance>(&r)) return to_dicom_json(i->dataset);
  const auto& rej = std::get<Reject>(r);
  return std::string("reject:") + to_string(rej.kind);
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
