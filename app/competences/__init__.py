"""Pages of the PIX competences: what each one is, its learning paths, its intranet resources."""
