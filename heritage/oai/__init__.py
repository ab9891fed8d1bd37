"""An OAI-PMH 2.0 provider of the heritage records, in Dublin Core (oai_dc) and the Europeana Data Model (edm)."""
