"""Services: the product's operations on plain values."""
