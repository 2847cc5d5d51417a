#include "dicometl/dicom/element_walk.hpp"

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcelem.h>
#include <dcmtk/dcmdata/dcistrmf.h>
#include <dcmtk/dcmdata/dcsequen.h>
#include <dcmtk/dcmdata/dcvr.h>

#include <memory>

#include "dicometl/dicom/charset.hpp"
#include "dicometl/dicom/read_limits.hpp"
#include "dicometl/dicom/value_text.hpp"

namespace dicometl::dicom {

namespace {

void read_numbers(DcmElement& e, DcmEVR vr, Values& out) {
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
        if (e.getTagVal(k, i).good())
          out.emplace_back(tag_hex(make_tag(k.getGroup(), k.getElement())));
        break;
      }
      default: break;
    }
  }
}

// Where a value DCMTK left on disk starts in the file (it loads such values only on access); 0 when
// DCMTK read from memory.
std::uint64_t file_offset(const DcmElement& e) {
  const DcmInputStreamFactory* f = e.getInputStream();
  if (!f || f->ident() != DFT_DcmInputFileStreamFactory) return 0;
  return static_cast<std::uint64_t>(static_cast<const DcmInputFileStreamFactory*>(f)->getOffset());
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
      own->report_to(decoder.report());
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
    if (tag.isPrivate() && tag.getPrivateCreator()) {
      // DCMTK keeps the creator's raw bytes: decode them as the fast parser does (an LO value).
      const std::string_view creator = tag.getPrivateCreator();
      el.private_creator =
          CharsetDecoder::is_plain_ascii(creator) ? std::string(creator) : dec->decode(creator);
    }

    if (vr == EVR_SQ) {
      auto* seq = static_cast<DcmSequenceOfItems*>(e);
      const unsigned long n = seq->card();
      el.items.resize(n);
      for (unsigned long k = 0; k < n; ++k) {
        DcmItem* child = seq->getItem(k);
        if (child && !walk_item(*child, *dec, options, depth + 1, el.items[k], error)) return false;
      }
    } else if (el.tag == tags::kPixelData || el.length > kMaxLoadedValue ||
               (!vr_is_string(el.vr_view()) && !is_number_vr(vr) &&
                el.length > options.max_inline_binary)) {
      el.bulk = true;  // bulk data is never loaded: only its place and length are recorded
      el.offset = file_offset(*e);
    } else if (vr_is_string(el.vr_view())) {  // (DCMTK loads a value it left on disk now)
      char* raw = nullptr;
      Uint32 len = 0;
      if (e->getString(raw, len).good() && raw && len) {
        decode_text_values(std::string_view(raw, len), el.vr_view(), dec, el.values);
      }
    } else if (is_number_vr(vr)) {
      read_numbers(*e, vr, el.values);
    } else {
      // DCMTK hands out binary values through the getter of the VR's word size.
      void* bytes = nullptr;
      OFCondition got = EC_IllegalCall;
      switch (vr) {
        case EVR_OW: { Uint16* w = nullptr; got = e->getUint16Array(w); bytes = w; break; }
        case EVR_OL: { Uint32* w = nullptr; got = e->getUint32Array(w); bytes = w; break; }
        case EVR_OF: { Float32* w = nullptr; got = e->getFloat32Array(w); bytes = w; break; }
        case EVR_OD: { Float64* w = nullptr; got = e->getFloat64Array(w); bytes = w; break; }
        case EVR_OV: { Uint64* w = nullptr; got = e->getUint64Array(w); bytes = w; break; }
        default: { Uint8* w = nullptr; got = e->getUint8Array(w); bytes = w; break; }
      }
      if (el.length && got.good() && bytes)
        el.binary.assign(static_cast<const char*>(bytes), el.length);
    }
    out.elements.push_back(std::move(el));
  }
  return true;
}

}  // namespace dicometl::dicom
