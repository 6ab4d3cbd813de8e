"""Campaign follow-up: the PIX competences and the reading of PIX Orga result exports."""
