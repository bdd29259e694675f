"""What leaves the warehouse: each firm's own marts, published per firm, and the report."""
