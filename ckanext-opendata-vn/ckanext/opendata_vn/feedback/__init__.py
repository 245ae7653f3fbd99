"""Citizens' and businesses' feedback (Decree 47: feedback sets publishing priorities).

On every dataset: report a problem, rate its usefulness. On its own page: request new
data and vote for others' requests. The owning agency and the IT staff see, answer and
close them. Anti-spam without third parties: a honeypot field and a per-address rate
limit in Redis. Contact details are never public.
"""

# what other features may import: the home page shows the most-wanted data requests (model)
PUBLIC = ("model",)
