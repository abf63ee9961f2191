//! TODO(skeleton): the French/English date extractor.
