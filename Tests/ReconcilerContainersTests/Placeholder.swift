import Testing

// Placeholder so the target builds until its first test lands; delete when adding real tests.
