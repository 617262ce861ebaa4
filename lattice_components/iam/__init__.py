"""IAM policy evaluation (auth policies and identity policies), shared by the access matrix and the policy pack."""
