#include "dicometl/dicom/element_walk.hpp"

#include <charconv>
#include <memory>

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcelem.h>
#include <dcmtk/dcmdata/dcsequen.h>
#include <dcmtk/dcmdata/dcvr.h>

#include "dicometl/dicom/charset.hpp"

namespace dicometl::dicom {

namespace {

// Text VRs whose bytes follow Specific Character Set; the others are plain ASCII by definition.
bool uses_charset(DcmEVR vr) {
  switch (vr) {
    case EVR_SH: case EVR_LO: case EVR_ST: case EVR_LT: case EVR_PN: case EVR_UC: case EVR_UT:
      return true;
    default:
      return false;
  }
}

// Single-valued text VRs: a backslash there is a character, not a separator.
bool single_valued(DcmEVR vr) { return vr == EVR_LT || vr == EVR_ST || vr == EVR_UT || vr == EVR_UR; }

bool is_string_vr(DcmEVR vr) {
  switch (vr) {
    case EVR_AE: case EVR_AS: case EVR_CS: case EVR_DA: case EVR_DS: case EVR_DT: case EVR_IS:
    case EVR_LO: case EVR_LT: case EVR_PN: case EVR_SH: case EVR_ST: case EVR_TM: case EVR_UC:
    case EVR_UI: case EVR_UR: case EVR_UT:
      return true;
    default:
      return false;
  }
}

std::string_view trim_value(std::string_view s, DcmEVR vr) {
  // Trailing spaces and NULs are padding everywhere; leading spaces only where the VR says so.
  while (!s.empty() && (s.back() == ' ' || s.back() == '\0')) s.remove_suffix(1);
  if (vr != EVR_LT && vr != EVR_ST && vr != EVR_UT && vr != EVR_UC)
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  return s;
}

void split_values(std::string_view text, DcmEVR vr, std::vector<std::string>& out) {
  if (single_valued(vr)) {
    auto v = trim_value(text, vr);
    if (!v.empty()) out.emplace_back(v);
    return;
  }
  std::size_t start = 0;
  while (true) {
    std::size_t end = text.find('\\', start);
    auto part = trim_value(text.substr(start, end == std::string_view::npos ? text.npos : end - start), vr);
    out.emplace_back(part);
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  // A single empty value means no value at all.
  if (out.size() == 1 && out.front().empty()) out.clear();
}

template <typename T>
void append_number(std::vector<std::string>& out, T v) {
  char buf[64];
  auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, v);
  out.emplace_back(buf, ec == std::errc() ? ptr : buf);
}

void read_numbers(DcmElement& e, DcmEVR vr, std::vector<std::string>& out) {
  const unsigned long vm = e.getVM();
  for (unsigned long i = 0; i < vm; ++i) {
    switch (vr) {
      case EVR_US: { Uint16 v = 0; if (e.getUint16(v, i).good()) append_number(out, v); break; }
      case EVR_SS: { Sint16 v = 0; if (e.getSint16(v, i).good()) append_number(out, v); break; }
      case EVR_UL: { Uint32 v = 0; if (e.getUint32(v, i).good()) append_number(out, v); break; }
      case EVR_SL: { Sint32 v = 0; if (e.getSint32(v, i).good()) append_number(out, v); break; }
      case EVR_UV: { Uint64 v = 0; if (e.getUint64(v, i).good()) append_number(out, v); break; }
      case EVR_SV: { Sint64 v = 0; if (e.getSint64(v, i).good()) append_number(out, v); break; }
      case EVR_FL: { Float32 v = 0; if (e.getFloat32(v, i).good()) append_number(out, v); break; }
      case EVR_FD: { Float64 v = 0; if (e.getFloat64(v, i).good()) append_number(out, v); break; }
      case EVR_AT: {
        DcmTagKey k;
        if (e.getTagVal(k, i).good()) out.push_back(tag_hex(make_tag(k.getGroup(), k.getElement())));
        break;
      }
      default: break;
    }
  }
}

bool is_number_vr(DcmEVR vr) {
  switch (vr) {
    case EVR_US: case EVR_SS: case EVR_UL: case EVR_SL: case EVR_UV: case EVR_SV: case EVR_FL:
    case EVR_FD: case EVR_AT:
      return true;
    default:
      return false;
  }
}

}  // namespace

bool walk_item(DcmItem& item, const CharsetDecoder& decoder, const ReadOptions& options, int depth,
               Dataset& out, std::string& error) {
  if (depth > options.max_sequence_depth) {
    error = "sequences nested deeper than " + std::to_string(options.max_sequence_depth) + " levels";
    return false;
  }
  // An item may carry its own Specific Character Set (PS3.5 6.1.2.5.2).
  std::unique_ptr<CharsetDecoder> own;
  const CharsetDecoder* dec = &decoder;
  if (depth > 0) {
    const char* cs = nullptr;
    if (item.findAndGetString(DCM_SpecificCharacterSet, cs, OFFalse).good() && cs && *cs) {
      own = std::make_unique<CharsetDecoder>(cs);
      dec = own.get();
    }
  }

  const unsigned long count = item.card();
  out.elements.reserve(count);
  for (unsigned long i = 0; i < count; ++i) {
    DcmElement* e = item.getElement(i);
    if (!e) continue;
    const DcmTag& tag = e->getTag();
    DcmEVR vr = e->ident();
    Element el;
    el.tag = make_tag(tag.getGroup(), tag.getElement());
    DcmVR vr_name(tag.getVR().getValidEVR());
    const char* name = vr_name.getValidVRName();
    if (name && name[0] && name[1]) { el.vr[0] = name[0]; el.vr[1] = name[1]; }
    el.length = e->getLengthField();
    if (tag.isPrivate() && tag.getPrivateCreator()) el.private_creator = tag.getPrivateCreator();

    if (vr == EVR_SQ) {
      auto* seq = static_cast<DcmSequenceOfItems*>(e);
      const unsigned long n = seq->card();
      el.items.resize(n);
      for (unsigned long k = 0; k < n; ++k) {
        DcmItem* child = seq->getItem(k);
        if (child && !walk_item(*child, *dec, options, depth + 1, el.items[k], error)) return false;
      }
    } else if (el.tag == tags::kPixelData || !e->valueLoaded()) {
      el.bulk = true;  // bulk data is never loaded: only its length is recorded
    } else if (is_string_vr(vr)) {
      char* raw = nullptr;
      Uint32 len = 0;
      if (e->getString(raw, len).good() && raw && len) {
        std::string_view bytes(raw, len);
        if (uses_charset(vr)) {
          split_values(dec->decode(bytes, vr == EVR_PN), vr, el.values);
        } else {
          split_values(bytes, vr, el.values);
        }
      }
    } else if (is_number_vr(vr)) {
      read_numbers(*e, vr, el.values);
    } else if (el.length <= options.max_inline_binary) {
      Uint8* bytes = nullptr;
      if (el.length && e->getUint8Array(bytes).good() && bytes)
        el.binary.assign(reinterpret_cast<const char*>(bytes), el.length);
    } else {
      el.bulk = true;
    }
    out.elements.push_back(std::move(el));
  }
  return true;
}

}  // namespace dicometl::dicom
