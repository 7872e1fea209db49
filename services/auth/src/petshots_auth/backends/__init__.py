"""Identity backends: the embedded local provider and Amazon Cognito, behind one interface."""
