#include "dicometl/dicom/fast_parser.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <map>
#include <memory>

#include "dicometl/dicom/charset.hpp"
#include "dicometl/dicom/read_limits.hpp"
#include "dicometl/dicom/value_text.hpp"

namespace dicometl::dicom {

namespace {

constexpr std::uint32_t kUndefined = 0xFFFFFFFF;
constexpr Tag kItem = 0xFFFEE000;
constexpr Tag kItemDelimiter = 0xFFFEE00D;
constexpr Tag kSequenceDelimiter = 0xFFFEE0DD;
constexpr const char* kDeflatedSyntax = "1.2.840.10008.1.2.1.99";

enum class Status { kOk, kFallback, kNeedMore, kEndOfItem, kDeflated };

std::uint16_t u16(const char* p) {
  std::uint16_t v;
  std::memcpy(&v, p, 2);
  return v;
}
std::uint32_t u32(const char* p) {
  std::uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}

// Private creators reserve blocks (gggg,00xx) → (gggg,xx00-xxFF), per dataset level.
using CreatorMap = std::map<std::uint32_t, std::string>;

class Parser {
 public:
  Parser(std::string_view buf, bool complete, const ReadOptions& opt, bool inflated)
      : buf_(buf), complete_(complete), opt_(opt), inflated_(inflated) {}

  // Parses elements from pos_ to `end` (kUndefined: to an item delimiter).
  Status dataset(std::size_t end, int depth, bool top_level, const CharsetDecoder* decoder,
                 Dataset& out) {
    std::unique_ptr<CharsetDecoder> own;
    CreatorMap creators;
    while (end == kUndefined || pos_ < end) {
      if (top_level && complete_ && pos_ == buf_.size()) return Status::kOk;  // no pixel data
      if (pos_ + 8 > buf_.size()) return more(pos_ + 12);
      const char* p = buf_.data() + pos_;
      const Tag tag = make_tag(u16(p), u16(p + 2));
      // First: after the meta header may come deflated bytes, which are no tag at all.
      if (top_level && !meta_done_ && tag_group(tag) != 0x0002) return Status::kOk;
      if (tag == kItemDelimiter) {
        if (end != kUndefined) return Status::kFallback;
        pos_ += 8;
        return Status::kEndOfItem;
      }
      if (tag_group(tag) == 0xFFFE) return Status::kFallback;        // stray item tag
      if (top_level && tag >= tags::kPixelData) return Status::kOk;  // stop before bulk data
      if (!out.elements.empty() && tag <= out.elements.back().tag) return Status::kFallback;

      // Built in place, in the dataset's arena; a parse that stops takes the partial element out.
      Element& el = out.elements.emplace_back();
      auto drop = [&](Status s) {
        out.elements.pop_back();
        return s;
      };
      el.tag = tag;
      std::uint32_t len = 0;
      bool implicit_items = false;
      if (explicit_vr_) {
        el.vr[0] = p[4];
        el.vr[1] = p[5];
        if (!vr_is_valid(el.vr_view())) return drop(Status::kFallback);
        if (vr_has_long_length(el.vr_view())) {
          if (pos_ + 12 > buf_.size()) return drop(more(pos_ + 12));
          len = u32(p + 8);
          pos_ += 12;
        } else {
          len = u16(p + 6);
          pos_ += 8;
        }
        // UN of a known tag (a PACS re-encoding what it did not know): its value is implicit VR
        // little endian, so it reads by the dictionary's VR, as DCMTK and pydicom do (a sequence's
        // items then hold implicit VR elements). Undefined length UN is DCMTK's.
        if (el.vr_view() == "UN" && len != kUndefined && meta_done_) {
          const char* vr = implicit_vr(tag, creators);
          if (vr && std::string_view(vr, 2) != "UN") {
            el.vr[0] = vr[0];
            el.vr[1] = vr[1];
            implicit_items = el.is_sequence();
          }
        }
      } else {
        len = u32(p + 4);
        pos_ += 8;
        const char* vr = implicit_vr(tag, creators);
        if (!vr) return drop(Status::kFallback);
        el.vr[0] = vr[0];
        el.vr[1] = vr[1];
        if (len == kUndefined) el.vr[0] = 'S', el.vr[1] = 'Q';
      }
      el.length = len;
      if (is_private(tag)) {
        const std::uint16_t elem = tag_element(tag);
        if (elem >= 0x1000) {
          auto it = creators.find(static_cast<std::uint32_t>(tag_group(tag)) << 8 | elem >> 8);
          if (it != creators.end()) el.private_creator = it->second;
        }
      }

      if (el.is_sequence()) {
        const bool was_explicit = explicit_vr_;
        if (implicit_items) explicit_vr_ = false;
        Status s = sequence(len, depth, decoder, el);
        explicit_vr_ = was_explicit;
        if (s != Status::kOk) return drop(s);
      } else {
        if (len == kUndefined) return drop(Status::kFallback);  // UN/OB of undefined length
        Status s = value(len, decoder, el);
        if (s != Status::kOk) return drop(s);
      }

      // Bookkeeping that later elements depend on.
      if (is_private(tag) && tag_element(tag) >= 0x10 && tag_element(tag) <= 0xFF) {
        creators[static_cast<std::uint32_t>(tag_group(tag)) << 8 | tag_element(tag)] =
            std::string(el.first());
      }
      if (tag == tags::kSpecificCharacterSet) {
        own = std::make_unique<CharsetDecoder>(el.joined());
        own->report_to(&text_report_);
        decoder = own.get();
        if (top_level) top_decoder_ = std::move(own);
      }
      if (tag == tags::kTransferSyntaxUid && top_level) transfer_syntax_ = el.first();
      if (tag == make_tag(0x0028, 0x0103)) pixel_signed_ = el.first() == "1";
    }
    return end == kUndefined ? Status::kFallback : Status::kOk;
  }

  Status parse(Dataset& out, std::string& transfer_syntax) {
    if (buf_.size() < 132) return more(4096);
    if (buf_.substr(128, 4) != "DICM") return Status::kFallback;
    pos_ = 132;
    explicit_vr_ = true;
    CharsetDecoder ascii("");  // the meta header, and a dataset without Specific Character Set
    ascii.report_to(&text_report_);
    Status s = dataset(kUndefined, 0, true, &ascii, out);
    if (s != Status::kOk) return s;
    meta_done_ = true;
    // The dataset's encoding comes from the meta header.
    const std::string& ts = transfer_syntax_;
    if (ts == "1.2.840.10008.1.2") {
      explicit_vr_ = false;
    } else if (ts == kDeflatedSyntax) {
      // The caller inflates (with a cap: a few MB can inflate to GBs) and calls again.
      if (!inflated_) {
        needed_ = pos_;
        return Status::kDeflated;
      }
    } else if (ts == "1.2.840.10008.1.2.2" || ts.empty() || ts.rfind("1.2.840.10008.1.2", 0) != 0) {
      return Status::kFallback;  // big endian, private or missing syntax: DCMTK
    }
    // A dataset written implicit under an explicit syntax (seen from highdicom): the first
    // element's two bytes after the tag are no VR. Read it as implicit, as pydicom does, and say
    // so.
    if (explicit_vr_ && pos_ + 8 <= buf_.size() &&
        !vr_is_valid(std::string_view(buf_.data() + pos_ + 4, 2))) {
      explicit_vr_ = false;
      implicit_under_explicit_ = true;
    }
    s = dataset(kUndefined, 0, true, &ascii, out);
    if (s != Status::kOk) return s;
    transfer_syntax = ts;
    return Status::kOk;
  }

  bool too_deep() const { return too_deep_; }
  bool implicit_under_explicit() const { return implicit_under_explicit_; }
  const TextReport& text_report() const { return text_report_; }
  std::size_t needed() const { return needed_; }
  // Where the header ended: Pixel Data's tag read (or the end of a file without it).
  std::size_t header_end() const { return std::min(pos_ + 8, buf_.size()); }

 private:
  // Out of bytes: a complete file is truncated (DCMTK will say how); otherwise ask for `need`.
  Status more(std::size_t need) {
    if (complete_) return Status::kFallback;
    needed_ = std::max(needed_, need);
    return Status::kNeedMore;
  }

  const char* implicit_vr(Tag tag, const CreatorMap& creators) const {
    if (tag_element(tag) == 0) return "UL";  // group length
    if (is_private(tag)) {
      const std::uint16_t elem = tag_element(tag);
      if (elem >= 0x10 && elem <= 0xFF) return "LO";  // private creator
      auto it = creators.find(static_cast<std::uint32_t>(tag_group(tag)) << 8 | elem >> 8);
      return dictionary_vr(tag, it == creators.end() ? std::string_view() : it->second);
    }
    const char* vr = dictionary_vr(tag, {});
    if (vr[0] == 'x' && vr[1] == 's') return pixel_signed_ ? "SS" : "US";
    if (vr[0] == 'o' || vr[0] == 'l') return "OW";  // ox, lt: OW in implicit VR
    if (vr[0] == 'u' && vr[1] == 'p') return "UL";
    if (vr[0] < 'A' || vr[0] > 'Z') return nullptr;
    return vr;
  }

  Status value(std::uint32_t len, const CharsetDecoder* decoder, Element& el) {
    const std::string_view vr = el.vr_view();
    const bool bulk = len > kMaxLoadedValue ||
                      (!vr_is_string(vr) && !vr_is_number(vr) && len > opt_.max_inline_binary);
    if (bulk) {
      // Skipped without reading: the next element's header is what we need next.
      el.bulk = true;
      if (!inflated_) el.offset = pos_;  // inflated bytes have no place in the file
      pos_ += len;
      return Status::kOk;
    }
    if (pos_ + len > buf_.size()) return more(pos_ + len + 12);
    std::string_view bytes = buf_.substr(pos_, len);
    pos_ += len;
    if (vr_is_string(vr)) {
      if (len == 0) return Status::kOk;
      decode_text_values(bytes, vr, decoder, el.values);
    } else if (vr_is_number(vr)) {
      append_le_numbers(bytes, vr, el.values);
    } else {
      el.binary.assign(bytes);
    }
    return Status::kOk;
  }

  Status sequence(std::uint32_t len, int depth, const CharsetDecoder* decoder, Element& el) {
    if (depth + 1 > opt_.max_sequence_depth) {
      too_deep_ = true;
      return Status::kFallback;
    }
    const std::size_t end = len == kUndefined ? kUndefined : pos_ + len;
    if (end != kUndefined && end > buf_.size() && complete_) return Status::kFallback;
    while (end == kUndefined || pos_ < end) {
      if (pos_ + 8 > buf_.size()) return more(pos_ + 12);
      const char* p = buf_.data() + pos_;
      const Tag tag = make_tag(u16(p), u16(p + 2));
      const std::uint32_t item_len = u32(p + 4);
      pos_ += 8;
      if (tag == kSequenceDelimiter) {
        if (end != kUndefined) return Status::kFallback;
        return Status::kOk;
      }
      if (tag != kItem) return Status::kFallback;
      el.items.emplace_back();
      // Items of one sequence are alike: room for as many elements as the one before.
      if (el.items.size() > 1) el.items.back().elements.reserve(el.items.end()[-2].elements.size());
      const std::size_t item_end = item_len == kUndefined ? kUndefined : pos_ + item_len;
      Status s = dataset(item_end, depth + 1, false, decoder, el.items.back());
      if (s == Status::kEndOfItem && item_len == kUndefined) continue;
      if (s != Status::kOk) return s;
      if (item_end != kUndefined && pos_ != item_end) return Status::kFallback;
    }
    if (end != kUndefined && pos_ != end) return Status::kFallback;
    return Status::kOk;
  }

  std::string_view buf_;
  bool complete_;
  const ReadOptions& opt_;
  std::size_t pos_ = 0;
  bool explicit_vr_ = true;
  bool meta_done_ = false;
  bool pixel_signed_ = false;
  bool too_deep_ = false;
  bool inflated_ = false;
  bool implicit_under_explicit_ = false;
  std::size_t needed_ = 0;
  std::string transfer_syntax_;
  TextReport text_report_;
  std::unique_ptr<CharsetDecoder> top_decoder_;  // after text_report_: it reports there
};

}  // namespace

FastParse fast_parse(std::string_view bytes, bool complete, const ReadOptions& options,
                     Dataset& out, std::string& transfer_syntax, std::size_t& needed, bool inflated,
                     std::string* warning) {
  // A fresh arena per parse, its first block sized like what this thread's previous header used
  // (files of a series are alike), or from the header's bytes for the first one (a parsed header
  // takes ~10 times its encoded size); it grows geometrically when a header needs more.
  thread_local std::size_t last_used = 0;
  const std::size_t guess = last_used ? last_used + last_used / 8 : bytes.size() * 10;
  out = Dataset::with_arena(std::clamp<std::size_t>(guess, 4 << 10, 1 << 20));
  // As many top-level elements as this thread's previous header had (files of a series are
  // alike): no chain of reallocations moving hundreds of elements on a scanner's header.
  thread_local std::size_t last_count = 0;
  out.elements.reserve(last_count);
  Parser parser(bytes, complete, options, inflated);
  const Status s = parser.parse(out, transfer_syntax);
  if (s == Status::kOk) {
    last_count = out.elements.size();
    last_used = out.arena->used();
  }
  if (parser.too_deep()) return FastParse::kTooDeep;
  if (warning && s == Status::kOk) {
    *warning = parser.implicit_under_explicit() ? kImplicitUnderExplicitWarning : "";
    parser.text_report().append_to(*warning);
  }
  switch (s) {
    case Status::kOk: needed = parser.header_end(); return FastParse::kDone;
    case Status::kNeedMore: needed = parser.needed(); return FastParse::kNeedMore;
    case Status::kDeflated: needed = parser.needed(); return FastParse::kDeflated;
    default: return FastParse::kFallback;
  }
}

}  // namespace dicometl::dicom
