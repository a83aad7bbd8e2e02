"""Analytics read from the graph: rows, burden, coordination, gaps."""
