// Data dictionary look-ups for implicit VR files, backed by DCMTK's dictionary and cached per
// thread: DCMTK's look-up takes a global lock and walks lists for private tags.
#include <string>
#include <unordered_map>

#include <dcmtk/dcmdata/dcdict.h>
#include <dcmtk/dcmdata/dcdicent.h>
#include <dcmtk/dcmdata/dcvr.h>

#include "dicometl/dicom/fast_parser.hpp"

namespace dicometl::dicom {

const char* dictionary_vr(Tag tag, std::string_view private_creator) {
  thread_local std::unordered_map<std::string, const char*> cache;
  std::string key(reinterpret_cast<const char*>(&tag), sizeof tag);
  key.append(private_creator);
  if (auto it = cache.find(key); it != cache.end()) return it->second;

  const std::string creator(private_creator);
  const DcmDataDictionary& dict = dcmDataDict.rdlock();
  const DcmDictEntry* entry = dict.findEntry(DcmTagKey(tag_group(tag), tag_element(tag)),
                                             creator.empty() ? nullptr : creator.c_str());
  // DcmVR names are static strings: safe to keep the pointer.
  const char* vr = entry ? DcmVR(entry->getEVR()).getVRName() : "UN";
  dcmDataDict.rdunlock();
  if (!vr || !vr[0] || !vr[1]) vr = "UN";
  cache.emplace(std::move(key), vr);
  return vr;
}

}  // namespace dicometl::dicom
