"""What people read: terminal reports, the report page, the graph page, export files."""
