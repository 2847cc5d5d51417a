// dicometl dump: one file's extracted record as JSON, exactly what ingest would catalog.
#include <sys/stat.h>

#include <memory>

#include <fmt/core.h>

#include "commands.hpp"
#include "dicometl/catalog/dicom_json.hpp"
#include "dicometl/dicom/header_reader.hpp"
#include "dicometl/model/path_text.hpp"
#include "dicometl/pipeline/big_stack_thread.hpp"

namespace dicometl::cli {

namespace {

void field(std::string& out, const char* name, const std::string& value) {
  out += ",\"";
  out += name;
  out += "\":";
  append_json_string(value, out);
}
template <typename T>
void field(std::string& out, const char* name, const std::optional<T>& v) {
  out += ",\"";
  out += name;
  out += "\":";
  out += v ? fmt::format("{}", *v) : "null";
}

std::string instance_json(const Instance& i) {
  std::string out = "{\"outcome\":\"instance\"";
  field(out, "path", i.file.path);
  out += fmt::format(",\"size\":{}", i.file.size);
  field(out, "transfer_syntax_uid", i.transfer_syntax_uid);
  field(out, "sop_class_uid", i.sop_class_uid);
  field(out, "sop_instance_uid", i.sop_instance_uid);
  field(out, "specific_character_set", i.specific_character_set);
  field(out, "patient_id", i.patient_id);
  field(out, "patient_name", i.patient_name);
  field(out, "patient_sex", i.patient_sex);
  field(out, "patient_birth_date", i.patient_birth_date);
  field(out, "patient_age", i.patient_age);
  field(out, "study_instance_uid", i.study_instance_uid);
  field(out, "study_date", i.study_date);
  field(out, "study_time", i.study_time);
  field(out, "accession_number", i.accession_number);
  field(out, "study_description", i.study_description);
  field(out, "series_instance_uid", i.series_instance_uid);
  field(out, "series_number", i.series_number);
  field(out, "modality", i.modality);
  field(out, "body_part_examined", i.body_part_examined);
  field(out, "series_description", i.series_description);
  field(out, "manufacturer", i.manufacturer);
  field(out, "manufacturer_model_name", i.manufacturer_model_name);
  field(out, "instance_number", i.instance_number);
  field(out, "rows", i.rows);
  field(out, "columns", i.columns);
  field(out, "number_of_frames", i.number_of_frames);
  field(out, "slice_thickness", i.slice_thickness);
  field(out, "warning", i.warning);  // what ingest stores in ingest_warning ("" for none)
  out += ",\"dataset\":";
  append_dicom_json(i.dataset, out, i.file.path);
  out += "}";
  return out;
}

int print_reject(const Reject& rej) {
  std::string out = "{\"outcome\":\"rejected\"";
  field(out, "path", rej.file.path);
  field(out, "kind", to_string(rej.kind));
  field(out, "reason", rej.reason);
  out += "}";
  fmt::print("{}\n", out);
  return static_cast<int>(kDoneWithRejects);
}

}  // namespace

Action add_dump(CLI::App& app) {
  auto path = std::make_shared<std::string>();
  auto* cmd = app.add_subcommand("dump", "Print one file's extracted record as JSON");
  cmd->footer("Example:\n  dicometl dump image.dcm | jq .patient_name\n"
              "Prints patient identifiers: it is the record you asked to see.");
  cmd->add_option("file", *path, "A DICOM file")->required();
  return [path] {
    struct stat st {};
    FileStat f{encode_path(*path), 0, 0};  // as the catalog would name it (read with decode_path)
    if (::stat(path->c_str(), &st) == 0) {
      // As ingest does: a FIFO or device could block the read forever.
      if (!S_ISREG(st.st_mode))
        return print_reject(Reject{f, RejectKind::kUnreadable,
                                   S_ISDIR(st.st_mode)
                                       ? "a folder, not a file (ingest walks folders)"
                                       : "not a regular file (FIFO, socket or device)"});
      f.size = static_cast<std::uint64_t>(st.st_size);
      f.mtime_ns = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
    }
    dicom::initialise();
    // Read on a big stack, as ingest does: deeply nested sequences recurse in DCMTK.
    ReadOutcome r;
    pipeline::BigStackThread([&] { r = dicom::read_header(f, {}); }).join();
    if (auto* inst = std::get_if<Instance>(&r)) {
      fmt::print("{}\n", instance_json(*inst));
      return static_cast<int>(kDone);
    }
    return print_reject(std::get<Reject>(r));
  };
}

const CommandRegistration kRegisterDump("dump", 90, &add_dump);

}  // namespace dicometl::cli
