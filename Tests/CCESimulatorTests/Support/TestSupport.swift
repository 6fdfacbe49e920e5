/// The helpers the test targets share (Tests/TestSupport), visible in every file of this target
/// without an import of their own.
@_exported import TestSupport
