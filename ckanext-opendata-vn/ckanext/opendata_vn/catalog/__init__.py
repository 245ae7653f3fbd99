"""The Decree 47 catalog: catalogs and their entries, agencies, themes, the appendix import."""

# what other features may import: the tables, how an appendix row reads, agency names,
# and the label helpers their pages share with the catalog's templates
PUBLIC = ("model", "rows", "agencies", "helpers")
