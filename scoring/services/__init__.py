"""Write paths and workflows. Each public function is one transaction."""
