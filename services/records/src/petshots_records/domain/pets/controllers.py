from __future__ import annotations

import uuid

from litestar import Controller, delete, get, patch, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_204_NO_CONTENT

from petshots_core.web.openapi import error_responses
from petshots_records.context import Ctx, ReadCtx
from petshots_records.deps import provide_ctx, provide_read_ctx
from petshots_records.domain.pets import schemas, services


class PetController(Controller):
    path = "/api/pets"
    tags = ["pets"]
    dependencies = {"ctx": Provide(provide_ctx, sync_to_thread=False)}

    @get("/", operation_id="listPets")
    async def list_pets(self, ctx: NamedDependency[Ctx]) -> list[schemas.Pet]:
        """The owner's pets with their status."""
        return await services.list_pets(ctx)

    @post("/", operation_id="createPet", responses=error_responses(409))
    async def create_pet(
        self, ctx: NamedDependency[Ctx], data: JSONBody[schemas.PetCreate]
    ) -> schemas.Pet:
        """Add a pet (409 `pet_limit` beyond the plan's limit)."""
        return await services.create_pet(ctx, data)

    @get(
        "/{pet_id:uuid}",
        operation_id="getPet",
        responses=error_responses(404),
        # A hot read path: one statement on the read pool instead of the ORM session.
        dependencies={"ctx": Provide(provide_read_ctx, sync_to_thread=False)},
    )
    async def get_pet(
        self, ctx: NamedDependency[ReadCtx], pet_id: FromPath[uuid.UUID]
    ) -> schemas.PetDetail:
        """One pet with all its records."""
        return await services.read_pet(ctx, pet_id)

    @patch("/{pet_id:uuid}", operation_id="updatePet", responses=error_responses(404))
    async def update_pet(
        self,
        ctx: NamedDependency[Ctx],
        pet_id: FromPath[uuid.UUID],
        data: JSONBody[schemas.PetUpdate],
    ) -> schemas.PetDetail:
        """Edit a pet's name, species, breed or birth date."""
        return await services.update_pet(ctx, pet_id, data)

    @delete(
        "/{pet_id:uuid}",
        operation_id="deletePet",
        responses=error_responses(404),
        status_code=HTTP_204_NO_CONTENT,
    )
    async def delete_pet(self, ctx: NamedDependency[Ctx], pet_id: FromPath[uuid.UUID]) -> None:
        """Delete a pet with its records and their files."""
        await services.delete_pet(ctx, pet_id)

    @post(
        "/{pet_id:uuid}/photo",
        operation_id="createPetPhotoUpload",
        responses=error_responses(404, 422),
        status_code=HTTP_200_OK,
    )
    async def photo_upload(
        self,
        ctx: NamedDependency[Ctx],
        pet_id: FromPath[uuid.UUID],
        data: JSONBody[schemas.PhotoUploadRequest],
    ) -> schemas.PhotoUpload:
        """A presigned POST for the pet's photo (JPEG, PNG or WebP up to the photo limit)."""
        return await services.photo_upload(ctx, pet_id, data)

    @post(
        "/{pet_id:uuid}/photo/complete",
        operation_id="completePetPhoto",
        responses=error_responses(404, 409, 422),
        status_code=HTTP_200_OK,
    )
    async def photo_complete(
        self, ctx: NamedDependency[Ctx], pet_id: FromPath[uuid.UUID]
    ) -> schemas.PetDetail:
        """Make the uploaded photo the pet's photo once storage holds a valid image."""
        return await services.photo_complete(ctx, pet_id)
