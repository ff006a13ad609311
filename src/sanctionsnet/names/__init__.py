"""Name handling for screening: parsing (`analyze`), romanisation across scripts (`translit`)
and phonetic keys for candidate retrieval (`phonetic`)."""
