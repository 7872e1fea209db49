mock_provider "aws" {
  source = "../../tests/mocks/aws"
}

variables {
  name = "petshots-test"
}

run "key_rotates_and_outlives_the_stack" {
  command = plan

  assert {
    condition     = aws_kms_key.this.enable_key_rotation
    error_message = "the key must rotate"
  }

  assert {
    condition     = aws_kms_key.this.deletion_window_in_days == 30
    error_message = "the default deletion window is 30 days"
  }

  assert {
    condition     = aws_kms_alias.this.name == "alias/petshots-test"
    error_message = "the alias is alias/<name>"
  }
}

run "rejects_a_short_deletion_window" {
  command = plan

  variables {
    deletion_window_in_days = 3
  }

  expect_failures = [var.deletion_window_in_days]
}
