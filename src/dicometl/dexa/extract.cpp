#include "dicometl/dexa/extract.hpp"

#include <chrono>
#include <exception>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <optional>
#include <thread>

#include "dicometl/dexa/cell_reread.hpp"
#include "dicometl/dexa/header_results.hpp"
#include "dicometl/dexa/layouts.hpp"
#include "dicometl/dexa/ocr.hpp"
#include "dicometl/dexa/output_names.hpp"
#include "dicometl/dexa/png_export.hpp"
#include "dicometl/dexa/scan_date.hpp"
#include "dicometl/dexa/sr_reader.hpp"
#include "dicometl/dexa/table_parser.hpp"
#include "dicometl/dicom/header_reader.hpp"
#include "dicometl/model/path_text.hpp"
#include "dicometl/pipeline/big_stack_thread.hpp"
#include "dicometl/source/make_source.hpp"

namespace dicometl::dexa {

namespace {

using Clock = std::chrono::steady_clock;

double since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

// What reading one file produced: a page, a rejection, a skip, or nothing (not a candidate).
struct Outcome {
  std::optional<Page> page;
  std::optional<Rejected> rejected;
  bool skipped = false;
  bool candidate = false;
};

std::string first_nonempty(std::initializer_list<const std::string*> xs) {
  for (const auto* x : xs)
    if (!x->empty()) return *x;
  return "";
}

// Beside the words: each cell's reads (page, cell, column, tie-breaker), for tuning the passes.
void write_cells(const std::string& path, const ParsedTable& table) {
  std::ofstream f(path);
  f << "region\tmetric\tpage\tcell\tcolumn\tthird\tconf\tx0\ty0\tx1\ty1\n";
  for (const auto& row : table.rows)
    for (const auto& [metric, c] : row.cells)
      f << row.region.name << '\t' << metric << '\t' << c.raw << '\t' << c.reread << '\t'
        << c.column << '\t' << c.third << '\t' << c.conf << '\t' << c.box.x0 << '\t' << c.box.y0
        << '\t' << c.box.x1 << '\t' << c.box.y1 << '\n';
}

void write_words(const std::string& path, const std::vector<OcrWord>& words) {
  if (path.empty()) return;  // an unsafe name (output_path)
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
  std::ofstream f(path);
  f << "text\tx0\ty0\tx1\ty1\tconf\tmin_conf\n";
  for (const auto& w : words)
    f << w.text << '\t' << w.x0 << '\t' << w.y0 << '\t' << w.x1 << '\t' << w.y1 << '\t' << w.conf
      << '\t' << w.min_conf << '\n';
}

// Who, when and where a page is about comes from the DICOM header, not from OCR.
void fill_from_header(Page& page, const Instance& inst, const FileStat& file) {
  page.source_path = file.path;
  page.sop_instance_uid = inst.sop_instance_uid;
  page.series_instance_uid = inst.series_instance_uid;
  page.patient_id = inst.patient_id;
  page.exam_date = first_nonempty(
      {&inst.study_date, &inst.content_date, &inst.series_date, &inst.acquisition_date});
  page.device = inst.manufacturer +
                (inst.manufacturer_model_name.empty() ? "" : " " + inst.manufacturer_model_name);
  page.protocol = first_nonempty({&inst.protocol_name, &inst.series_description});
  page.site = site_from_text(inst.protocol_name + " " + inst.series_description);
  if (page.site.empty()) {
    std::vector<std::string> regions;
    for (const auto& v : page.values) regions.push_back(v.region);
    page.site = site_from_regions(regions);
  }
}

class Worker {
 public:
  Worker(const ExtractOptions& options, source::Source& source)
      : options_(options), source_(source), ocr_(options.tessdata) {}

  bool ready() const { return ocr_.ready(); }
  const std::string& error() const { return ocr_.error(); }
  PhaseTimes times;

  Outcome read(const FileStat& file) {
    Outcome out;
    auto t0 = Clock::now();
    auto bytes = source_.open(file);
    dicom::ReadOptions read_options;  // vendors' header results sit in larger private values
    read_options.max_inline_binary = kHeaderResultsMaxBytes;
    ReadOutcome header = bytes ? dicom::read_header(file, *bytes, read_options)
                               : dicom::read_header(file, read_options);
    times.header += since(t0);
    if (auto* rej = std::get_if<Reject>(&header)) {
      out.rejected = Rejected{file.path, std::string(to_string(rej->kind)) + ": " + rej->reason};
      return out;
    }
    const Instance& inst = std::get<Instance>(header);
    if (is_structured_report(inst)) {  // structured results: no OCR needed
      auto t1 = Clock::now();
      auto sr = page_from_sr(inst);
      times.parse += since(t1);
      if (!sr) {
        out.skipped = true;
        return out;
      }
      out.candidate = true;
      fill_from_header(*sr, inst, file);
      out.page = std::move(*sr);
      return out;
    }
    if (auto hp = page_from_header(inst)) {  // results in the header: no OCR needed
      out.candidate = true;
      fill_from_header(*hp, inst, file);
      check_scan_date(*hp);
      out.page = std::move(*hp);
      return out;
    }
    const Candidate c = classify(inst, options_.filter);
    if (!c.ok) {
      out.skipped = true;
      return out;
    }
    out.candidate = true;
    std::string error;
    const std::string path = bytes ? bytes->local_path(error) : decode_path(file.path);
    if (path.empty()) {
      out.rejected = Rejected{file.path, "cannot fetch the file: " + error};
      return out;
    }
    t0 = Clock::now();
    auto rendered = dicom::render_gray(path);
    times.render += since(t0);
    if (auto* e = std::get_if<dicom::RenderError>(&rendered)) {
      out.rejected = Rejected{file.path, e->reason};
      return out;
    }
    const auto& gray = std::get<dicom::GrayImage>(rendered);
    const std::string protocol = first_nonempty({&inst.protocol_name, &inst.series_description});
    if (!options_.png_dir.empty()) {
      // Names come from the archive: sanitised and confined to the folder (output_names.hpp).
      const std::string png = output_path(options_.png_dir, protocol.empty() ? "unnamed" : protocol,
                                          inst.sop_instance_uid, ".png");
      if (png.empty() || !write_png(gray, png, error))
        out.rejected = Rejected{file.path, "PNG export: " + (png.empty() ? "unsafe name" : error)};
    }
    t0 = Clock::now();
    const Prepared prepared = preprocess(gray, options_.preprocess,
                                         [this](dicom::GrayImage& g) { return ocr_.deskew(g); });
    times.preprocess += since(t0);
    t0 = Clock::now();
    auto words = ocr_.read(prepared.image);
    times.ocr += since(t0);
    if (auto* e = std::get_if<OcrError>(&words)) {
      out.rejected = Rejected{file.path, e->reason};
      return out;
    }
    if (!options_.words_dir.empty())
      write_words(output_path(options_.words_dir, "", inst.sop_instance_uid, ".tsv"),
                  std::get<std::vector<OcrWord>>(words));
    t0 = Clock::now();
    ParsedTable table = parse_results_table(std::get<std::vector<OcrWord>>(words));
    if (table.found && !table.gaps.empty()) {
      // Rows the page pass skipped (under the header rule, blurred): those bands read again
      // on their own, their words added, the table parsed once more.
      auto& all = std::get<std::vector<OcrWord>>(words);
      const std::size_t before = all.size();
      for (const auto& g : table.gaps) {
        auto more = ocr_.read_block(g.x0, g.y0, g.x1, g.y1, "");
        all.insert(all.end(), more.begin(), more.end());
      }
      if (all.size() > before) {
        ParsedTable again = parse_results_table(all);
        if (again.found && again.rows.size() > table.rows.size()) table = std::move(again);
      }
    }
    if (table.found) {
      const auto t1 = Clock::now();
      reread_cells(table, ocr_);
      fill_regions_from_sequences(table.rows);
      reread_columns(table, ocr_);
      reread_on_alt(table, ocr_, prepared.alt);
      mark_lost_minus(table, options_.preprocess.binarize ? prepared.alt : prepared.image);
      times.reread += since(t1);
      if (!options_.words_dir.empty())
        write_cells(options_.words_dir + "/" +
                        (inst.sop_instance_uid.empty() ? "page" : inst.sop_instance_uid) +
                        ".cells.tsv",
                    table);
    }
    if (!table.found) {
      times.parse += since(t0);
      out.rejected = Rejected{file.path, table.why_not};
      return out;
    }
    Page page;
    // The output's layout column: vendor, then the kind of table read ("hologic/dual_hip").
    page.layout = table.layout + (table.kind.empty() ? "" : "/" + table.kind);
    QcOptions qc = options_.qc;
    qc.small_glyphs = prepared.scale >= kSmallGlyphScale;
    page.values = values_from_table(table, qc);
    if (const Layout* l = find_layout(table.layout); l && !l->supported)
      for (auto& v : page.values)
        v.flag("layout of a vendor not validated (" + table.layout + "): read, never ok");
    repair_misread_digits(page.values);
    check_page(page.values, qc.small_glyphs);
    fill_from_header(page, inst, file);
    // The page's own scan date must be the DICOM date: otherwise the values may belong to
    // another exam than the one they are filed under.
    page.page_scan_date = find_scan_date(std::get<std::vector<OcrWord>>(words));
    check_scan_date(page);
    times.parse += since(t0);
    if (page.values.empty()) {
      out.rejected = Rejected{file.path, "results table without values"};
      return out;
    }
    out.page = std::move(page);
    return out;
  }

 private:
  const ExtractOptions& options_;
  source::Source& source_;
  OcrEngine ocr_;
};

}  // namespace

ExtractResult extract(const ExtractOptions& options) {
  ExtractResult result;
  const auto t_start = Clock::now();
  auto source = source::make_source(options.roots, options.s3, options.shard);
  std::vector<FileStat> files;
  source::WalkVisitor visitor;
  visitor.file = [&](const FileStat& f) {
    files.push_back(f);
    return !(options.stop && options.stop->load());
  };
  visitor.problem = [&](const FileStat& f, const std::string& reason) {
    result.rejected.push_back({f.path, reason});
  };
  source->walk(visitor);
  result.files = files.size();

  unsigned jobs = options.jobs ? options.jobs : std::max(1u, std::thread::hardware_concurrency());
  jobs = std::max(
      1u, std::min<unsigned>(jobs, static_cast<unsigned>(std::max<std::size_t>(files.size(), 1))));
  std::vector<Outcome> outcomes(files.size());
  std::atomic<std::size_t> next{0};
  std::mutex mu;
  std::string fatal;
  {
    std::vector<std::unique_ptr<pipeline::BigStackThread>> threads;
    for (unsigned t = 0; t < jobs; ++t) {
      threads.push_back(std::make_unique<pipeline::BigStackThread>(
          [&] {
            Worker worker(options, *source);
            if (!worker.ready()) {
              std::lock_guard lock(mu);
              fatal = worker.error();
              return;
            }
            for (std::size_t i; (i = next++) < files.size();) {
              if (options.stop && options.stop->load()) break;
              // The thread's edge: an exception from one file (out of memory on a huge page, a
              // library throwing) rejects that file instead of ending the process.
              try {
                outcomes[i] = worker.read(files[i]);
              } catch (const std::exception& e) {
                outcomes[i] = Outcome{};
                outcomes[i].rejected =
                    Rejected{files[i].path, std::string("internal error: ") + e.what()};
              }
            }
            std::lock_guard lock(mu);
            result.times.header += worker.times.header;
            result.times.render += worker.times.render;
            result.times.preprocess += worker.times.preprocess;
            result.times.ocr += worker.times.ocr;
            result.times.parse += worker.times.parse;
            result.times.reread += worker.times.reread;
          },
          pipeline::BigStackThread::kDefaultStack, "dexa-ocr"));
    }
  }  // joins
  result.fatal = fatal;
  for (auto& o : outcomes) {
    if (o.skipped) ++result.skipped;
    if (o.candidate) ++result.candidates;
    if (o.rejected) result.rejected.push_back(std::move(*o.rejected));
    if (o.page) result.pages.push_back(std::move(*o.page));
  }
  result.wall_seconds = since(t_start);
  return result;
}

}  // namespace dicometl::dexa
