// Placeholder so the target builds until its first file lands; delete when adding real code.
